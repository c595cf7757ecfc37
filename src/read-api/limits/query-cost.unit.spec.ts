import { parse, validate } from 'graphql';
import { buildServedSchema } from '../schema/served-schema';
import { queryCostRule } from './query-cost';

const schema = buildServedSchema();
const costOf = (query: string): number => {
  const errors = validate(schema, parse(query), [queryCostRule({ maxCost: 0 })]);
  const match = /query cost (\d+)/.exec(errors[0]?.message ?? '');
  return match ? Number(match[1]) : 0;
};

describe('the query cost rule', () => {
  it('counts the objects a query can produce: page size times what each edge holds', () => {
    expect(costOf('{ ventures(first: 20) { totalCount } }')).toBe(1);
    expect(costOf('{ ventures(first: 20) { edges { node { id } } } }')).toBe(1 + 20 * 2);
    expect(costOf('{ ventures(first: 20) { edges { node { gedsiMetrics { value } } } } }')).toBe(1 + 20 * (2 + 10));
  });

  it('assumes the largest page for a variable and the default page when first is omitted', () => {
    expect(costOf('query($n: Int) { ventures(first: $n) { edges { cursor } } }')).toBe(1 + 100);
    expect(costOf('{ ventures { edges { cursor } } }')).toBe(1 + 20);
  });

  it('counts fragments and nested pages', () => {
    const query = `{ ventures(first: 10) { ...page } } fragment page on VentureConnection { edges { node { history(first: 5) { edges { cursor } } } } }`;
    expect(costOf(query)).toBe(1 + 10 * (1 + 1 + (1 + 5)));
  });

  it('lets a query within the limit pass', () => {
    expect(validate(schema, parse('{ ventures(first: 100) { edges { node { id } } } }'), [queryCostRule({ maxCost: 5000 })])).toEqual([]);
  });
});

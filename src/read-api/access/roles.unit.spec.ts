import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../app/graphql/api-error';
import { buildServedSchema } from '../schema/served-schema';
import { ACCESS, authorize, renderRoleMatrix } from './roles';

const principal = (roles: string[]) => ({ sub: 's', tenant: 't', roles });

describe('the role matrix', () => {
  it('names every root field of the served schema, and nothing else', () => {
    const schema = buildServedSchema();
    const served = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      type ? Object.keys(type.getFields()).map((field) => `${type.name}.${field}`) : [],
    );
    expect(Object.keys(ACCESS).sort()).toEqual(served.sort());
  });

  it('refuses with FORBIDDEN unless a role matches, and refuses operations it does not name', () => {
    expect(() => authorize(principal(['auditor']), 'Query.auditTrail')).not.toThrow();
    expect(() => authorize(principal(['founder', 'analyst']), 'Query.auditTrail')).toThrow(ApiError);
    expect(() => authorize(principal(['admin']), 'Query.somethingNew')).toThrow(/needs one of the roles \(none\)/);
  });

  it('is printed in docs/api.md as it is enforced', () => {
    const doc = join(__dirname, '..', '..', '..', 'docs', 'api.md');
    expect(existsSync(doc)).toBe(true);
    expect(readFileSync(doc, 'utf8')).toContain(renderRoleMatrix());
  });
});

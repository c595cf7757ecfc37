import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo } from 'graphql';
import { selectedFieldNames } from './selection';

/** What a resolver of the root field `field` receives: its field nodes (one per occurrence) and the document's fragments. */
function infoOf(query: string, field = 'ventures'): Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'> {
  const document = parse(query);
  const fieldNodes: FieldNode[] = [];
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const selection of definition.selectionSet.selections) if (selection.kind === Kind.FIELD && selection.name.value === field) fieldNodes.push(selection);
  }
  if (fieldNodes.length === 0) throw new Error(`the query does not select ${field}`);
  return { fieldNodes, fragments };
}

const names = (query: string, path: readonly string[]): string[] => [...selectedFieldNames(infoOf(query), path)].sort();

const NODE = ['edges', 'node'] as const;

describe('selectedFieldNames', () => {
  it('names the fields selected right below the field (empty path) and at a nested path', () => {
    const query = '{ ventures(first: 5) { totalCount edges { cursor node { id name gedsiMetrics { value } } } pageInfo { hasNextPage } } }';
    expect(names(query, [])).toEqual(['edges', 'pageInfo', 'totalCount']);
    expect(names(query, ['edges'])).toEqual(['cursor', 'node']);
    expect(names(query, NODE)).toEqual(['gedsiMetrics', 'id', 'name']);
    expect(names(query, ['pageInfo'])).toEqual(['hasNextPage']);
  });

  it('gives field names, not aliases, both at the path and along it', () => {
    expect(names('{ ventures { edges { node { key: id metrics: gedsiMetrics { v: value } requests: capitalRequests { id } } } } }', NODE)).toEqual([
      'capitalRequests',
      'gedsiMetrics',
      'id',
    ]);
    expect(names('{ ventures { e: edges { n: node { title: name } } } }', NODE)).toEqual(['name']);
    // An alias named like a field of the path does not make the path.
    expect(names('{ ventures { edges: pageInfo { node: hasNextPage } } }', NODE)).toEqual([]);
  });

  it('follows inline fragments, with and without a type condition, at the path and along it', () => {
    expect(names('{ ventures { edges { node { id ... on Venture { capitalRequests { id } } ... { name } } } } }', NODE)).toEqual(['capitalRequests', 'id', 'name']);
    expect(names('{ ventures { ... on VentureConnection { edges { ... { node { ... on Venture { ... { gedsiMetrics { value } } } } } } } } }', NODE)).toEqual([
      'gedsiMetrics',
    ]);
  });

  it('follows named fragment spreads, a fragment spreading another, and a fragment spread twice', () => {
    const spread = `{ ventures { edges { node { id ...Metrics } } } }
      fragment Metrics on Venture { gedsiMetrics { value } ...Requests }
      fragment Requests on Venture { capitalRequests { id } }`;
    expect(names(spread, NODE)).toEqual(['capitalRequests', 'gedsiMetrics', 'id']);

    const twice = `{ ventures { edges { node { ...Metrics name ...Metrics ... on Venture { ...Metrics } } } } }
      fragment Metrics on Venture { gedsiMetrics { value } }`;
    expect(names(twice, NODE)).toEqual(['gedsiMetrics', 'name']);

    // Two fragments spreading the same third one: its fields are found through both.
    const diamond = `{ ventures { edges { node { ...A ...B } } } }
      fragment A on Venture { id ...C }
      fragment B on Venture { name ...C }
      fragment C on Venture { capitalRequests { id } }`;
    expect(names(diamond, NODE)).toEqual(['capitalRequests', 'id', 'name']);
  });

  it('follows fragment spreads along the path (on the connection and on the edge)', () => {
    const query = `{ ventures { ...Page } }
      fragment Page on VentureConnection { edges { ...Edge } }
      fragment Edge on VentureEdge { cursor node { ...Node } }
      fragment Node on Venture { gedsiMetrics { value } }`;
    expect(names(query, NODE)).toEqual(['gedsiMetrics']);
    expect(names(query, ['edges'])).toEqual(['cursor', 'node']);
  });

  it('merges every occurrence of the field and of each path segment', () => {
    const query = '{ ventures { edges { node { id } } edges { node { gedsiMetrics { value } } } } ventures { edges { node { capitalRequests { id } } } } }';
    expect(infoOf(query).fieldNodes).toHaveLength(2);
    expect(names(query, NODE)).toEqual(['capitalRequests', 'gedsiMetrics', 'id']);
  });

  it('is empty for a path that is not selected', () => {
    expect(names('{ ventures { totalCount } }', NODE)).toEqual([]);
    expect(names('{ ventures { edges { cursor } } }', NODE)).toEqual([]);
    expect(names('{ ventures { pageInfo { hasNextPage } } }', ['edges'])).toEqual([]);
    expect(names('{ ventures { edges { node { id } } } }', ['edges', 'node', 'gedsiMetrics'])).toEqual([]);
    // A spread of a fragment the document does not define selects nothing.
    expect(names('{ ventures { edges { node { ...Missing } } } }', NODE)).toEqual([]);
  });

  it('does not look into the selections of the fields it names', () => {
    expect(names('{ ventures { edges { node { capitalRequests { id amount { amount currency } } } } } }', NODE)).toEqual(['capitalRequests']);
  });
});

import { Kind, parse } from 'graphql';

type LazyResolver = (parent: Record<string, unknown>) => unknown;

/**
 * Resolvers for fields a resolver may answer with a function to call only when the client selects the field
 * (a connection's `totalCount`: counting costs a scan, paging does not). graphql-js's default resolver calls
 * such functions, but the compiled executor (graphql-jit, `jit` in the driver options) reads the property as
 * it is: every object type declaring one of `fields` gets an explicit resolver that calls it.
 */
export function lazyFieldResolvers(typeDefs: string, fields: readonly string[]): Record<string, Record<string, LazyResolver>> {
  const resolvers: Record<string, Record<string, LazyResolver>> = {};
  for (const definition of parse(typeDefs).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const name = field.name.value;
      if (!fields.includes(name)) continue;
      (resolvers[definition.name.value] ??= {})[name] = (parent) => {
        const value = parent[name];
        return typeof value === 'function' ? (value as () => unknown).call(parent) : value;
      };
    }
  }
  return resolvers;
}

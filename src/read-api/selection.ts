import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The names of the fields selected at `path` below the resolved field (for example `['edges', 'node']` of a
 * connection), through inline fragments and fragment spreads, whichever type condition they name. A resolver
 * uses it to read along what the client asked for; it may over-approximate (a fragment on another type, a
 * field under @skip) but never misses a selected field.
 */
export function selectedFieldNames(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[]): ReadonlySet<string> {
  let level: FieldNode[] = [...info.fieldNodes];
  for (const name of path) level = level.flatMap((node) => fieldsOf(node.selectionSet, info.fragments).filter((f) => f.name.value === name));
  return new Set(level.flatMap((node) => fieldsOf(node.selectionSet, info.fragments).map((f) => f.name.value)));
}

function fieldsOf(set: SelectionSetNode | undefined, fragments: GraphQLResolveInfo['fragments'], seen = new Set<string>()): FieldNode[] {
  if (set === undefined) return [];
  return set.selections.flatMap((selection): FieldNode[] => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsOf(selection.selectionSet, fragments, seen);
    const name = selection.name.value;
    if (seen.has(name)) return [];
    seen.add(name);
    return fieldsOf(fragments[name]?.selectionSet, fragments, seen);
  });
}

import {
  GraphQLError,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';

export const MAX_PAGE_SIZE = 100;
/** What a list without a `first` argument (a venture's metrics, a dashboard's groups) is assumed to hold. */
const UNBOUNDED_LIST_SIZE = 10;

export interface CostLimit {
  readonly maxCost: number;
}

/**
 * Refuses, before anything runs, a query whose worst-case cost exceeds the limit: the number of objects it can
 * make the server produce. Each object field counts 1 plus its children; a connection's edges count its page
 * size (`first` as written, else its default, else the maximum page size for a variable) and other lists 10. Validation is cached per query text, so a variable's
 * value is not known here: it counts as the largest page allowed (resolvers refuse a larger one).
 */
export function queryCostRule(limit: CostLimit): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(node: OperationDefinitionNode) {
      const schema = context.getSchema();
      const root = schema.getRootType(node.operation);
      if (!root) return;
      const cost = selectionCost(context, root, node.selectionSet, new Set());
      if (cost > limit.maxCost) {
        context.reportError(
          new GraphQLError(`query cost ${cost} exceeds the limit of ${limit.maxCost}: ask for smaller pages or fewer nested lists`, { nodes: [node] }),
        );
      }
    },
  });
}

function selectionCost(context: ValidationContext, parent: GraphQLCompositeType, set: SelectionSetNode, visiting: Set<string>, page?: number): number {
  let total = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const typeName = selection.typeCondition?.name.value;
      const type = typeName === undefined ? parent : context.getSchema().getType(typeName);
      if (type !== undefined && type !== null && isCompositeType(type)) total += selectionCost(context, type, selection.selectionSet, visiting, page);
      continue;
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const name = selection.name.value;
      const fragment: FragmentDefinitionNode | null | undefined = context.getFragment(name);
      // Cycles are reported by the spec's own rules; here they simply add nothing.
      if (fragment === undefined || fragment === null || visiting.has(name)) continue;
      const type = context.getSchema().getType(fragment.typeCondition.name.value);
      if (type === undefined || type === null || !isCompositeType(type)) continue;
      visiting.add(name);
      total += selectionCost(context, type, fragment.selectionSet, visiting, page);
      visiting.delete(name);
      continue;
    }
    const fields = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields() : {};
    const field = fields[selection.name.value];
    // Leaves are free: what costs is each object (a row, a document) the query makes the server produce.
    if (field === undefined || selection.selectionSet === undefined) continue;
    const child = getNamedType(field.type);
    if (!isCompositeType(child)) continue;
    const firstArg = field.args.find((a) => a.name === 'first');
    const childPage =
      firstArg === undefined
        ? undefined
        : pageSize(selection.arguments?.find((a) => a.name.value === 'first')?.value, typeof firstArg.defaultValue === 'number' ? firstArg.defaultValue : MAX_PAGE_SIZE);
    // A connection's page size multiplies its `edges`; any other list counts as UNBOUNDED_LIST_SIZE objects.
    const isList = isListType(getNullableType(field.type));
    const multiplier = isList ? (selection.name.value === 'edges' && page !== undefined ? page : UNBOUNDED_LIST_SIZE) : 1;
    total += multiplier * (1 + selectionCost(context, child, selection.selectionSet, visiting, childPage));
  }
  return total;
}

function pageSize(value: ValueNode | undefined, schemaDefault: number): number {
  if (value === undefined) return schemaDefault;
  if (value.kind === Kind.INT) return Math.min(Math.max(Number(value.value), 0), MAX_PAGE_SIZE);
  // A variable may carry any page size the resolvers accept, whatever its declared default.
  return MAX_PAGE_SIZE;
}

import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/** ISO-8601 instants in and out; the event log already stores them as strings. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO-8601 instant such as 2026-01-31T12:00:00.000Z.',
  serialize: (value: unknown) => {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return value;
    throw new TypeError('DateTime cannot represent a non-date value');
  },
  parseValue: (value: unknown) => parseInstant(value),
  parseLiteral: (ast: ValueNode) => parseInstant(ast.kind === Kind.STRING ? ast.value : undefined),
});

function parseInstant(value: unknown): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const time = Date.parse(value);
    if (!Number.isNaN(time)) return new Date(time).toISOString();
  }
  throw new TypeError('DateTime must be an ISO-8601 instant with a time zone, such as 2026-01-31T12:00:00Z');
}

/** Arbitrary JSON, for event data and metadata (output only in the contract). */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value: unknown) => value,
  parseValue: (value: unknown) => value,
  parseLiteral: (ast: ValueNode): unknown => literalValue(ast),
});

function literalValue(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map(literalValue);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((field) => [field.name.value, literalValue(field.value)]));
    case Kind.ENUM:
      return ast.value;
    case Kind.VARIABLE:
      throw new TypeError('JSON literals cannot contain variables');
    default: {
      const _exhaustive: never = ast;
      return _exhaustive;
    }
  }
}

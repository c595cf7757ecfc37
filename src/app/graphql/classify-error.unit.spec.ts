import { BadRequestException, ForbiddenException } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { DomainError } from '../../shared/decider';
import { SchemaValidationError } from '../../shared/schemas/schema-validation-error';
import { EventStoreArgumentError, expect as expectRevision, WrongExpectedRevisionError } from '../../write-model/event-store/event-store.port';
import { AuthenticationError } from '../auth/authentication-error';
import { ApiError } from './api-error';
import { classifyGraphQLError, classifyThrown, GENERIC_INTERNAL_MESSAGE } from './classify-error';

const thrownBy = (error: Error): GraphQLError => new GraphQLError(error.message, { path: ['createVenture'], originalError: error });

describe('classifying errors for clients', () => {
  it('keeps the code and field of domain and API errors', () => {
    expect(classifyThrown(new DomainError('BAD_USER_INPUT', 'name too long', 'name'))).toEqual({ code: 'BAD_USER_INPUT', message: 'name too long', field: 'name' });
    expect(classifyThrown(new DomainError('CONFLICT', 'exists'))).toEqual({ code: 'CONFLICT', message: 'exists' });
    expect(classifyThrown(new ApiError('NOT_IMPLEMENTED', 'later'))).toEqual({ code: 'NOT_IMPLEMENTED', message: 'later' });
  });

  it('names the first offending field of a schema violation', () => {
    const error = new SchemaValidationError('command', 'RequestCapital', undefined, [
      { path: '/currency', message: 'must be an ISO 4217 code' },
      { path: '/amount', message: 'is required' },
    ]);
    expect(classifyThrown(error)).toEqual({ code: 'BAD_USER_INPUT', field: 'currency', message: 'currency must be an ISO 4217 code; amount is required' });
  });

  it('maps store and auth errors', () => {
    expect(classifyThrown(new WrongExpectedRevisionError('venture-1', expectRevision.exact(1), 2)).code).toBe('CONFLICT');
    expect(classifyThrown(new EventStoreArgumentError('invalid stream id')).code).toBe('BAD_USER_INPUT');
    expect(classifyThrown(new AuthenticationError('the token has expired'))).toEqual({ code: 'UNAUTHENTICATED', message: 'the token has expired' });
    expect(classifyThrown(new ForbiddenException()).code).toBe('FORBIDDEN');
    expect(classifyThrown(new BadRequestException('nope')).code).toBe('BAD_USER_INPUT');
  });

  it('hides anything unexpected behind a generic INTERNAL error', () => {
    expect(classifyThrown(new Error('connection refused at 10.0.0.3'))).toEqual({ code: 'INTERNAL', message: GENERIC_INTERNAL_MESSAGE, internal: true });
    expect(classifyThrown('a string')).toMatchObject({ code: 'INTERNAL' });
    expect(classifyGraphQLError(thrownBy(new TypeError('x is undefined')))).toMatchObject({ code: 'INTERNAL', internal: true });
  });

  it('refuses fastify request errors as bad input without leaking internals', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    expect(classifyThrown(tooLarge)).toEqual({ code: 'BAD_USER_INPUT', message: 'the request body is too large' });
  });

  it('tells parse, validation and variable errors apart', () => {
    expect(classifyGraphQLError(new GraphQLError('Syntax Error: Expected Name, found <EOF>.')).code).toBe('GRAPHQL_PARSE_FAILED');
    expect(classifyGraphQLError(new GraphQLError('Cannot query field "nope" on type "Query".')).code).toBe('GRAPHQL_VALIDATION_FAILED');
    const wrongType = new GraphQLError('Variable "$input" got invalid value "x" at "input.value"; Float cannot represent non numeric value: "x"');
    expect(classifyGraphQLError(wrongType)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'value' });
    const missing = new GraphQLError('Variable "$input" got invalid value { name: "n" }; Field "stage" of required type "VentureStage!" was not provided.');
    expect(classifyGraphQLError(missing)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stage' });
    expect(classifyGraphQLError(new GraphQLError('Variable "$input" of required type "X!" was not provided.'))).toMatchObject({ field: 'input' });
  });
});

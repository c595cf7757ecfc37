import { conflict, type Command, type Decider, type Event } from '../../shared/decider';
import { DeciderSpecification } from './decider-spec';

type Opened = Event<'Opened', { id: string }>;
type Open = Command<'Open', { id: string }>;
const context = { now: '2026-01-01T00:00:00.000Z', actor: 'a', tenant: 't' };
const open: Open = { type: 'Open', data: { id: 'x' }, context };
const opened: Opened = { type: 'Opened', data: { id: 'x' } };

const door: Decider<{ open: boolean }, Open, Opened> = {
  initialState: () => ({ open: false }),
  evolve: () => ({ open: true }),
  decide: (command, state) => {
    if (state.open) throw conflict('already open');
    return [{ type: 'Opened', data: { id: command.data.id } }];
  },
};
const given = DeciderSpecification.for(door).given;

describe('DeciderSpecification', () => {
  it('passes when decide returns the expected events from the folded state', () => {
    expect(() => given([]).when(open).then([opened])).not.toThrow();
    expect(() => given([opened]).when(open).thenThrows('CONFLICT', undefined, 'already open')).not.toThrow();
  });

  it('fails then() on other events', () => {
    expect(() => given([]).when(open).then([])).toThrow();
  });

  it('fails thenNothing() when events are returned', () => {
    expect(() => given([]).when(open).thenNothing()).toThrow();
  });

  it('fails thenThrows() when nothing is thrown', () => {
    expect(() => given([]).when(open).thenThrows('CONFLICT')).toThrow(/expected decide to throw a DomainError/);
  });

  it('fails thenThrows() on another code, field or message', () => {
    expect(() => given([opened]).when(open).thenThrows('NOT_FOUND')).toThrow();
    expect(() => given([opened]).when(open).thenThrows('CONFLICT', 'id')).toThrow();
    expect(() => given([opened]).when(open).thenThrows('CONFLICT', undefined, /closed/)).toThrow();
  });
});

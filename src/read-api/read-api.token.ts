/** Nest injection token of the ReadApi the composition root builds. */
export const READ_API = Symbol('ReadApi');

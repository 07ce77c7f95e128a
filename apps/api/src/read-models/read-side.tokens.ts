/** The read side (a `ReadSide`: its thread), and its read models as the query controllers use them (`ReadModels`). */
export const READ_SIDE = Symbol('READ_SIDE');
export const READ_MODELS = Symbol('READ_MODELS');

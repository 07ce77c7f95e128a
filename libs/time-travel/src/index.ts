export * from './as-of';
export * from './time-travel';
export * from './sessions';
export * from './compare';
export * from './csv';
export * from './replay';
// `qualifies` is also defined in replay.ts (same rule); the semantics module is the reference.
export { asOfPoint, compareEffectiveOrder, instantMs, parseInstant, positionRecordedBy } from './semantics';
export * from './as-of-index';
export * from './brute-force';
export * from './partnership-as-of';

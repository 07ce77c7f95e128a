export * from './projection';
export * from './in-memory-documents';
export * from './position-waiters';
export { CHECKPOINTS, type Checkpoint } from './checkpoint';
export type { BuildProgress, ProgressListener, ProjectionState } from './projection-runner';
export * from './projector-runtime';

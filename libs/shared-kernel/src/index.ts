export * from './codes';
export * from './countries';
export * from './canonical-json';
export * from './errors';
export * from './dates';
export * from './group-commit';
export * from './thread-errors';
export * from './spawn-worker';

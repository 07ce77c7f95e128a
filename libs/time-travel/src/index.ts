export * from './as-of';
export * from './time-travel';
export * from './sessions';
export * from './compare';
export * from './csv';
export * from './replay';

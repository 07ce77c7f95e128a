export * from './as-of';
export * from './time-travel';

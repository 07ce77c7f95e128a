export * from './command-input.dto';
export * from './validate-input';
export * from './validators';

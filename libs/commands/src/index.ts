export * from './command-context';
export * from './dto';
export * from './partnership.commands';
export * from './partnership-command-executor';
export * from './partnership-command.handlers';
export * from './partnership-repository';
export * from './registry-write.module';

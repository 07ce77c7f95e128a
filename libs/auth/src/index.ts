export * from './principal';
export * from './token.service';

export * from './registry-config';

export * from './read-store.port';
export * from './create-read-store';
export { EmbeddedReadStore, type EmbeddedReadStoreOptions } from './embedded/embedded-read-store';
export { MongoReadStore } from './mongodb/mongodb-read-store';

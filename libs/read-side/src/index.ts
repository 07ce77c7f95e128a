export * from './read-side';
export { ReadSideThread } from './read-side-thread';

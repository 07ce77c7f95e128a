import type { RegistryConfig } from '@registry/config';
import type { ProjectionStatus } from '@registry/projector';
import type { Document, FindOneOptions, FindOptions } from '@registry/read-store';
import type { SerializedError } from '@registry/shared-kernel';
import type { AsOfEngine } from './read-side';

/** Every call the read side's thread answers, one per method of `ReadSide`, its read models and its as-of engines. */
export interface ReadSideMethods {
  start(): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
  find(collection: string, filter: Document, options?: FindOptions): Promise<Document[]>;
  findOne(collection: string, filter: Document, options?: FindOneOptions): Promise<Document | null>;
  countDocuments(collection: string, filter: Document): Promise<number>;
  aggregate(collection: string, pipeline: Document[]): Promise<Document[]>;
  status(): Promise<ProjectionStatus[]>;
  waitForPosition(position: number, timeoutMs: number, names?: readonly string[]): Promise<boolean>;
  /** A method of the as-of engines, by name. */
  asOf(method: keyof AsOfEngine, args: unknown[]): Promise<unknown>;
}

export type ReadSideMethod = keyof ReadSideMethods;

export interface ReadSideData {
  config: RegistryConfig;
}

export type ToReadSide = { [M in ReadSideMethod]: { id: number; method: M; args: Parameters<ReadSideMethods[M]> } }[ReadSideMethod];

/** The reply to call `id`: its value, or its error as data. */
export type FromReadSide = { id: number; value: unknown } | { id: number; error: SerializedError };

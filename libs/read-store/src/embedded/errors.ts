import { DUPLICATE_KEY_ERROR } from '../read-store.port';

/** MongoDB's server error codes for the errors the embedded store reproduces. */
export const ErrorCode = {
  BadValue: 2,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  PathNotViable: 28,
  NamespaceExists: 48,
  ImmutableField: 66,
  IndexOptionsConflict: 85,
  DuplicateKey: DUPLICATE_KEY_ERROR,
} as const;

/** An error carrying the code MongoDB gives the same failure, so callers handle both adapters alike. */
export class MongoCompatibleError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
    this.name = 'MongoCompatibleError';
  }
}

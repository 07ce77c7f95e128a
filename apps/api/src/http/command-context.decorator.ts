import { createHash, randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { CommandContext } from '@registry/commands';
import { canonicalJson, InvalidInput } from '@registry/shared-kernel';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';

/** What a repeat with the same Idempotency-Key must match: method, path and body. */
function requestHash(request: AuthenticatedRequest): string {
  return createHash('sha256')
    .update(canonicalJson({ method: request.method, path: request.url.split('?')[0], body: request.body ?? null }))
    .digest('hex');
}

const VERSION_TAG = /^(?:W\/)?"?(\d{1,15})"?$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * The command context of a request: the authenticated principal, If-Match as the expected
 * version, Idempotency-Key with a hash of what was asked, and the correlation id.
 */
export const CommandCtx = createParamDecorator((_: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const ifMatch = header('if-match');
  const version = ifMatch === undefined ? undefined : ifMatch.match(VERSION_TAG)?.[1];
  if (ifMatch !== undefined && version === undefined) {
    throw new InvalidInput('If-Match must be the ETag of the partnership, a stream version such as "3"', [
      { field: 'If-Match', rule: 'stream-version' },
    ]);
  }
  const key = header('idempotency-key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new InvalidInput('Idempotency-Key must be 1-200 visible ASCII characters', [{ field: 'Idempotency-Key', rule: 'format' }]);
  }
  return {
    principal: request.principal!,
    correlationId: header('x-correlation-id')?.slice(0, 200) || randomUUID(),
    ...(version !== undefined && { expectedVersion: Number(version) }),
    ...(key !== undefined && { idempotency: { key, requestHash: requestHash(request) } }),
  };
});

import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jwt from 'jsonwebtoken';
import { ROLES, type Role } from '@registry/shared-kernel';
import type { Principal } from './principal';

export const TOKEN_ISSUER = 'partnership-registry';

export class InvalidToken extends Error {}

const VERIFIED_CACHE_LIMIT = 10_000;

/** Mints and verifies HS256 bearer tokens. */
export class TokenService {
  /** A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to parse it as a public key on every call. */
  private readonly secret: KeyObject;

  constructor(secret: string) {
    this.secret = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  mint(principal: { id: string; role: Role; partnerships?: string[] }, expiresInSeconds = 30 * 24 * 3600): string {
    const claims: Record<string, unknown> = { role: principal.role };
    if (principal.partnerships?.length) claims.partnerships = principal.partnerships;
    return jwt.sign(claims, this.secret, {
      algorithm: 'HS256',
      subject: principal.id,
      issuer: TOKEN_ISSUER,
      expiresIn: expiresInSeconds,
    });
  }

  /**
   * Verified tokens are remembered until they expire: clients send the same token with every
   * request, and checking the signature and claims again each time is most of the auth cost.
   */
  private readonly verified = new Map<string, { principal: Principal; expiresAtMs: number }>();

  verify(token: string): Principal {
    const known = this.verified.get(token);
    if (known && known.expiresAtMs > Date.now()) return known.principal;
    const principal = this.verifySignatureAndClaims(token);
    if (this.verified.size >= VERIFIED_CACHE_LIMIT) this.verified.delete(this.verified.keys().next().value as string);
    const { exp } = jwt.decode(token) as jwt.JwtPayload;
    this.verified.set(token, { principal, expiresAtMs: exp === undefined ? Number.POSITIVE_INFINITY : exp * 1000 });
    return principal;
  }

  private verifySignatureAndClaims(token: string): Principal {
    let payload: jwt.JwtPayload | string;
    try {
      // Pinning the algorithm keeps `alg: none` and key-confusion tokens out.
      payload = jwt.verify(token, this.secret, { algorithms: ['HS256'], issuer: TOKEN_ISSUER });
    } catch (error) {
      throw new InvalidToken((error as Error).message);
    }
    if (typeof payload === 'string' || typeof payload.sub !== 'string' || payload.sub.length === 0) {
      throw new InvalidToken('token has no subject');
    }
    const role = payload.role as Role;
    if (!ROLES.includes(role)) throw new InvalidToken(`token role must be one of ${ROLES.join(', ')}`);
    const partnerships = Array.isArray(payload.partnerships)
      ? payload.partnerships.filter((id): id is string => typeof id === 'string')
      : [];
    return { id: payload.sub, role, partnerships };
  }
}

/**
 * The configured secret, or the one kept in `<dataDir>/jwt-secret`, created on first use so a new
 * installation works without configuration. `created` tells the caller to print a first token.
 */
export function resolveJwtSecret(configured: string | undefined, dataDir: string): { secret: string; created: boolean } {
  if (configured) return { secret: configured, created: false };
  const file = path.join(dataDir, 'jwt-secret');
  if (fs.existsSync(file)) return { secret: fs.readFileSync(file, 'utf8').trim(), created: false };
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process created it between our check and our write: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { secret: fs.readFileSync(file, 'utf8').trim(), created: false };
    throw error;
  }
  return { secret, created: true };
}

import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InvalidToken, TokenService, type Principal } from '@registry/auth';
import { Forbidden, type Role } from '@registry/shared-kernel';
import type { FastifyRequest } from 'fastify';
import { PARTNERSHIP_SCOPED_KEY, ROLES_KEY } from './roles.decorator';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/** Checks `Authorization: Bearer <JWT>` on routes marked with `@Roles`, and the focal-point scope. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!roles) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = this.authenticate(request.headers.authorization);
    if (!roles.includes(principal.role)) {
      throw new Forbidden(`role ${principal.role} may not do this; allowed: ${roles.join(', ')}`, [
        { field: 'Authorization', rule: 'role-allowed' },
      ]);
    }
    const scoped = this.reflector.getAllAndOverride<boolean>(PARTNERSHIP_SCOPED_KEY, [context.getHandler(), context.getClass()]);
    const partnershipId = (request.params as Record<string, string>).id;
    if (scoped && principal.role === 'focal-point' && !principal.partnerships.includes(partnershipId)) {
      throw new Forbidden(`this focal-point token does not cover partnership ${partnershipId}`, [
        { field: 'Authorization', rule: 'partnership-in-token' },
      ]);
    }
    request.principal = principal;
    return true;
  }

  private authenticate(header: string | undefined): Principal {
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) throw unauthorized('an Authorization: Bearer <token> header is required', 'bearer-token-present');
    try {
      return this.tokens.verify(match[1]);
    } catch (error) {
      if (error instanceof InvalidToken) throw unauthorized(`invalid token: ${error.message}`, 'bearer-token-valid');
      throw error;
    }
  }
}

function unauthorized(message: string, rule: string): UnauthorizedException {
  return new UnauthorizedException({ message, details: [{ field: 'Authorization', rule }] });
}

import * as path from 'node:path';
import { Inject } from '@nestjs/common';
import { resolveJwtSecret, TokenService } from '@registry/auth';
import { ID_PATTERN, ID_RULE_TEXT } from '@registry/commands';
import { REGISTRY_CONFIG, type RegistryConfig } from '@registry/config';
import { ROLES, type Role } from '@registry/shared-kernel';
import { Command, Option } from 'nest-commander';
import { CliCommand } from '../cli-command';
import { CliIo, UsageError } from '../cli-io';
import { osUsername } from '../os-username';

interface TokenOptions {
  role: Role;
  partnership?: string[];
  subject?: string;
  days: number;
}

const MAX_DAYS = 3650;

/** Mints a bearer token with the API's own secret, so operators need no identity provider. */
@Command({
  name: 'token',
  description: "Print a bearer token (JWT) signed with the API's secret (JWT_SECRET or <DATA_DIR>/jwt-secret)",
})
export class TokenCommand extends CliCommand {
  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly io: CliIo,
  ) {
    super();
  }

  async run(_args: string[], options: TokenOptions): Promise<void> {
    const principal = principalOf(options);
    const { secret, created } = resolveJwtSecret(this.config.jwtSecret, this.config.dataDir);
    if (created) this.io.err(`created a JWT secret in ${path.join(this.config.dataDir, 'jwt-secret')}`);
    this.io.out(new TokenService(secret).mint(principal, options.days * 24 * 3600));
  }

  // `choices` only documents: nest-commander's parser replaces commander's choice check.
  @Option({ flags: '--role <role>', description: 'role the token grants', required: true, choices: [...ROLES] })
  parseRole(value: string): string {
    return value;
  }

  @Option({
    flags: '--partnership <id>',
    description: 'partnership the focal point reports for (repeatable; required with, and only with, --role focal-point)',
  })
  parsePartnership(value: string, previous: string[] = []): string[] {
    return [...previous, value];
  }

  @Option({ flags: '--subject <id>', description: 'subject, the actor recorded on events (default: <role>@<os user>)' })
  parseSubject(value: string): string {
    return value;
  }

  @Option({ flags: '--days <n>', description: `validity in days, 1-${MAX_DAYS}`, defaultValue: 30 })
  parseDays(value: string): number {
    return Number(value);
  }
}

function principalOf({ role, partnership: partnerships = [], subject, days }: TokenOptions) {
  if (!ROLES.includes(role)) throw new UsageError(`option '--role <role>' must be one of ${ROLES.join(', ')}, not "${role}"`);
  if (role === 'focal-point' && partnerships.length === 0) {
    throw new UsageError("option '--partnership <id>' is required with --role focal-point (the partnerships it reports for)");
  }
  if (role !== 'focal-point' && partnerships.length > 0) {
    throw new UsageError(`option '--partnership <id>' applies to --role focal-point only, not ${role}`);
  }
  const badId = partnerships.find((id) => !ID_PATTERN.test(id));
  if (badId !== undefined) throw new UsageError(`option '--partnership <id>' got "${badId}": an id must be ${ID_RULE_TEXT}`);
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new UsageError(`option '--days <n>' must be a whole number of days from 1 to ${MAX_DAYS}`);
  }
  if (subject !== undefined && subject.trim() === '') throw new UsageError("option '--subject <id>' must not be empty");
  return { id: subject ?? `${role}@${osUsername()}`, role, partnerships: [...new Set(partnerships)] };
}

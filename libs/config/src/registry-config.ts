import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What `registry replay --into NAME` and `REPLAY=NAME` accept: safe as a directory and a MongoDB database name. */
export const REPLAY_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/**
 * Environment variables the services read, validated once at start-up so that a typo stops the
 * process with a message naming the variable instead of failing later.
 */
class RegistryEnvironment {
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT?: number;

  @IsOptional() @IsString() @MinLength(1)
  HOST?: string;

  @IsOptional() @IsString() @MinLength(1)
  DATA_DIR?: string;

  @IsOptional() @Matches(/^(sqlite:|postgres(ql)?:\/\/|(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\/)/, {
    message: 'EVENT_STORE_URL must start with sqlite:, postgres://, postgresql:// or kurrentdb:// (kurrent://, kdb://, esdb://)',
  })
  EVENT_STORE_URL?: string;

  @IsOptional() @Matches(/^(embedded|mongodb|mongodb\+srv):/, {
    message: 'READ_STORE_URL must start with embedded: or mongodb://',
  })
  READ_STORE_URL?: string;

  @IsOptional() @IsString() @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1024) @Max(64 * 1024 * 1024)
  BODY_LIMIT_BYTES?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(20)
  COMMAND_RETRIES?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(10_000_000)
  COMMAND_STATE_CACHE?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(60_000)
  MIN_POSITION_WAIT_MS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(999)
  REPORTING_INTERVAL_MONTHS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(999)
  REPORTING_INACTIVE_AFTER_MONTHS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(1_000_000)
  PROJECTOR_BATCH_SIZE?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(19)
  READ_SIDE_NICE?: number;

  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional() @IsString() @MinLength(1)
  SESSIONS_FILE?: string;

  @IsOptional() @IsIn(['true', 'false', '1', '0'], { message: 'READ_ONLY must be true or false' })
  READ_ONLY?: string;

  @IsOptional() @Matches(REPLAY_NAME, { message: 'REPLAY must be the NAME of `registry replay --into NAME`: 1-40 letters, digits, _ or -' })
  REPLAY?: string;
}

export interface RegistryConfig {
  port: number;
  host: string;
  /** Absolute path of the directory holding embedded stores and the generated JWT secret. */
  dataDir: string;
  eventStoreUrl: string;
  readStoreUrl: string;
  /** Undefined: use (or create) the secret file under `dataDir`. */
  jwtSecret: string | undefined;
  bodyLimitBytes: number;
  /** How often a command without If-Match is re-decided after a concurrency conflict. */
  commandRetries: number;
  /** Partnership states the command side keeps folded in memory (least recently used out). */
  commandStateCache: number;
  logLevel: string;
  /** How long a query with `minPosition` waits for the read models before a 504. */
  minPositionWaitMs: number;
  /** Reporting policy of the compliance read model (months after registration or the last report). */
  reporting: { intervalMonths: number; inactiveAfterMonths: number };
  /** Events per catch-up batch of the projector; undefined: the runtime's default. */
  projectorBatchSize: number | undefined;
  /**
   * Nice value of the read side's thread (0-19; Linux): higher yields the cores to commands when
   * both are busy, so read models fall further behind under a burst of writes and catch up after.
   */
  readSideNice: number;
  /** Absolute path of the sessions reference data (`session=` in as-of queries), checked at start-up. */
  sessionsFile: string;
  /**
   * Read-only API: queries are served from the read store as it is (e.g. a replay), no projector
   * runs, commands get 503. `REPLAY=NAME` implies it and points the read store at that replay.
   */
  readOnly: boolean;
  /** The replay the read store URL points at (`REPLAY`), if any. */
  replay: string | null;
}

export class InvalidConfiguration extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  const parsed = plainToInstance(RegistryEnvironment, { ...env }, { excludeExtraneousValues: false });
  const errors = validateSync(parsed, { skipMissingProperties: false });
  if (errors.length === 0 && (parsed.REPORTING_INACTIVE_AFTER_MONTHS ?? 24) < (parsed.REPORTING_INTERVAL_MONTHS ?? 12)) {
    throw new InvalidConfiguration('Invalid configuration:\n- REPORTING_INACTIVE_AFTER_MONTHS must not be less than REPORTING_INTERVAL_MONTHS');
  }
  if (errors.length > 0) {
    const lines = errors.flatMap((error) => Object.values(error.constraints ?? {}).map((text) => `- ${error.property}: ${text}`));
    throw new InvalidConfiguration(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const dataDir = path.resolve(parsed.DATA_DIR ?? './data');
  const readStoreUrl = parsed.READ_STORE_URL ?? `embedded:${path.join(dataDir, 'read-models')}`;
  const replay = parsed.REPLAY ?? null;
  return {
    port: parsed.PORT ?? 3000,
    host: parsed.HOST ?? '0.0.0.0',
    dataDir,
    eventStoreUrl: parsed.EVENT_STORE_URL ?? `sqlite:${path.join(dataDir, 'events.sqlite')}`,
    readStoreUrl: replay === null ? readStoreUrl : replayStoreUrl(readStoreUrl, dataDir, replay),
    jwtSecret: parsed.JWT_SECRET,
    bodyLimitBytes: parsed.BODY_LIMIT_BYTES ?? 1024 * 1024,
    commandRetries: parsed.COMMAND_RETRIES ?? 5,
    commandStateCache: parsed.COMMAND_STATE_CACHE ?? 20_000,
    logLevel: parsed.LOG_LEVEL ?? 'log',
    minPositionWaitMs: parsed.MIN_POSITION_WAIT_MS ?? 5000,
    reporting: {
      intervalMonths: parsed.REPORTING_INTERVAL_MONTHS ?? 12,
      inactiveAfterMonths: parsed.REPORTING_INACTIVE_AFTER_MONTHS ?? 24,
    },
    projectorBatchSize: parsed.PROJECTOR_BATCH_SIZE,
    readSideNice: parsed.READ_SIDE_NICE ?? 10,
    sessionsFile: parsed.SESSIONS_FILE ? path.resolve(parsed.SESSIONS_FILE) : defaultSessionsFile(),
    readOnly: replay !== null || parsed.READ_ONLY === 'true' || parsed.READ_ONLY === '1',
    replay,
  };
}

/**
 * The read store namespace `registry replay --into NAME` builds and `REPLAY=NAME` serves: for the
 * embedded store the directory `<DATA_DIR>/replays/NAME`; for MongoDB the database of
 * `READ_STORE_URL` suffixed with `_replay_NAME` on the same server (`registry` → `registry_replay_csd18`).
 */
export function replayStoreUrl(readStoreUrl: string, dataDir: string, name: string): string {
  if (!REPLAY_NAME.test(name)) throw new InvalidConfiguration(`a replay name must be 1-40 letters, digits, _ or -, not "${name}"`);
  if (readStoreUrl.startsWith('embedded:')) return `embedded:${path.join(dataDir, 'replays', name)}`;
  const url = new URL(readStoreUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'registry';
  url.pathname = `/${database}_replay_${name}`;
  return url.toString();
}

/**
 * The shipped `config/sessions.json`, found by walking up from this file: the same file serves
 * the sources (ts-jest) and the build (`dist/libs/config/src` is three levels deeper).
 */
function defaultSessionsFile(): string {
  for (let directory = __dirname; ; directory = path.dirname(directory)) {
    const candidate = path.join(directory, 'config', 'sessions.json');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(directory) === directory) return path.resolve('config/sessions.json');
  }
}

export const REGISTRY_CONFIG = Symbol('REGISTRY_CONFIG');

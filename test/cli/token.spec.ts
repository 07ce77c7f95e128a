import * as os from 'node:os';
import { resolveJwtSecret, TokenService, InvalidToken } from '@registry/auth';
import * as jwt from 'jsonwebtoken';
import { cliSandbox, type CliSandbox } from './support/cli';

const CONFIGURED_SECRET = 'configured-secret-configured-secret-0123456789';

describe('registry token', () => {
  let sandbox: CliSandbox;

  afterEach(() => sandbox.cleanup());

  /** What the API verifies with: the same secret resolution over the same DATA_DIR. */
  const apiTokens = () => new TokenService(resolveJwtSecret(sandbox.config.jwtSecret, sandbox.dataDir).secret);

  it('mints a focal-point token the API accepts, with its partnerships and subject', async () => {
    sandbox = cliSandbox();
    const result = await sandbox.run('token', '--role', 'focal-point', '--partnership', 'gmp-asgm', '--partnership', 'basel-mppi', '--subject', 'fp-unido');

    expect(result.exitCode).toBe(0);
    const token = result.stdout.trim();
    expect(result.stdout).toBe(`${token}\n`);
    expect(apiTokens().verify(token)).toEqual({ id: 'fp-unido', role: 'focal-point', partnerships: ['gmp-asgm', 'basel-mppi'] });
    // A secret the API does not have refuses it.
    expect(() => new TokenService('another-secret-another-secret-0123456789').verify(token)).toThrow(InvalidToken);
  });

  it('defaults the subject to <role>@<os user> and the validity to 30 days; --days changes it', async () => {
    sandbox = cliSandbox();
    const token = (await sandbox.run('token', '--role', 'secretariat')).stdout.trim();
    expect(apiTokens().verify(token)).toEqual({ id: `secretariat@${os.userInfo().username}`, role: 'secretariat', partnerships: [] });
    const claims = jwt.decode(token) as jwt.JwtPayload;
    expect(claims.exp! - claims.iat!).toBe(30 * 24 * 3600);

    const short = jwt.decode((await sandbox.run('token', '--role', 'analyst', '--days', '2')).stdout.trim()) as jwt.JwtPayload;
    expect(short.exp! - short.iat!).toBe(2 * 24 * 3600);
  });

  it('signs with JWT_SECRET when it is configured', async () => {
    sandbox = cliSandbox({ JWT_SECRET: CONFIGURED_SECRET });
    const result = await sandbox.run('token', '--role', 'auditor');
    expect(new TokenService(CONFIGURED_SECRET).verify(result.stdout.trim())).toMatchObject({ role: 'auditor' });
  });

  it.each([
    [['--role', 'focal-point'], "option '--partnership <id>' is required with --role focal-point"],
    [['--role', 'analyst', '--partnership', 'gmp-asgm'], "option '--partnership <id>' applies to --role focal-point only"],
    [['--role', 'focal-point', '--partnership', 'bad id!'], "option '--partnership <id>' got \"bad id!\""],
    [['--role', 'overlord'], "option '--role <role>' must be one of secretariat, focal-point, auditor, analyst"],
    [[], "required option '--role <role>' not specified"],
    [['--role', 'analyst', '--days', '0'], "option '--days <n>'"],
    [['--role', 'analyst', '--days', 'soon'], "option '--days <n>'"],
    [['--role', 'analyst', '--colour', 'blue'], "unknown option '--colour'"],
  ])('refuses %j with exit code 2, naming the option, and prints no token', async (args, message) => {
    sandbox = cliSandbox();
    const result = await sandbox.run('token', ...args);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`error: ${message}`);
    expect(result.stdout).toBe('');
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type RegistryConfig } from '@registry/config';
import { createEventStore, type RecordedEvent } from '@registry/event-store';
import { CommandFactory, CommandRunnerService } from 'nest-commander';
import { CliIo } from '../../../apps/cli/src/cli-io';
import { cliRunOptions } from '../../../apps/cli/src/cli-run-options';
import { CliModule } from '../../../apps/cli/src/cli.module';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const SEED_FILE = path.join(REPO_ROOT, 'examples/seed-partnerships.jsonl');

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CliSandbox {
  dataDir: string;
  config: RegistryConfig;
  /** Runs `registry <args>` in-process, as main.ts does, with output captured. */
  run(...args: string[]): Promise<CliRun>;
  /** Every event in the store, read through a fresh connection once the CLI has closed its own. */
  events(): Promise<RecordedEvent[]>;
  /** A file in the sandbox, for import tests. */
  writeFile(name: string, lines: string[]): string;
  cleanup(): void;
}

/** A fresh DATA_DIR (SQLite store, JWT secret) per test. */
export function cliSandbox(env: Record<string, string> = {}): CliSandbox {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-cli-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
  return {
    dataDir,
    config,
    run: (...args) => runCli(config, args),
    async events() {
      const store = await createEventStore(config.eventStoreUrl);
      try {
        return await store.readAll(1, 100_000);
      } finally {
        await store.close();
      }
    },
    writeFile(name, lines) {
      const file = path.join(dataDir, name);
      fs.writeFileSync(file, `${lines.join('\n')}\n`);
      return file;
    },
    cleanup: () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** `CommandFactory.run` (create, run, close) with the arguments given instead of process.argv. */
async function runCli(config: RegistryConfig, args: string[]): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const io = new CliIo(stdout, stderr);
  const app = await CommandFactory.createWithoutRunning(CliModule.forRoot(config, io), cliRunOptions(io));
  try {
    await app.get(CommandRunnerService).run(['node', 'registry', ...args]);
  } finally {
    await app.close();
  }
  return { exitCode: io.exitCode, stdout: stdout.text, stderr: stderr.text };
}

class Capture extends Writable {
  text = '';

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** The `line N:` reports of an import's stderr. */
export function rejectedLineNumbers(stderr: string): number[] {
  return [...new Set([...stderr.matchAll(/^line (\d+): /gm)].map((match) => Number(match[1])))].sort((a, b) => a - b);
}

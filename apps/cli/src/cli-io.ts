/**
 * The CLI's standard streams and exit code as one injectable value, so commands never touch
 * `process` and tests can run them in-process with captured output.
 */
export class CliIo {
  /** What the process exits with once the command has run: 0 ok, 1 partly failed, 2 usage. */
  exitCode = 0;

  constructor(
    readonly stdout: NodeJS.WritableStream,
    readonly stderr: NodeJS.WritableStream & { isTTY?: boolean },
  ) {}

  static fromProcess(): CliIo {
    return new CliIo(process.stdout, process.stderr);
  }

  /** Progress goes to stderr, so a bar only makes sense when stderr is a terminal. */
  get interactive(): boolean {
    return this.stderr.isTTY === true;
  }

  out(line: string): void {
    this.stdout.write(`${line}\n`);
  }

  err(line: string): void {
    this.stderr.write(`${line}\n`);
  }
}

/** Bad options or arguments: reported as `error: …` with exit code 2, like commander's own. */
export class UsageError extends Error {}

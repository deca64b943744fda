// Typed errors that carry their exit code and a hint. Only the top-level handler in cli.ts turns
// them into output and an exit code; everything else throws them.

export const ExitCode = {
  pass: 0,
  fail: 1,
  usage: 2,
  runtime: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export abstract class LoadctlError extends Error {
  abstract readonly exitCode: ExitCode;
  /** One line telling the user what to do about it. */
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.hint = hint;
  }
}

/** Bad command line, profile, scenario or baseline: exit 2, nothing was changed. */
export class UsageError extends LoadctlError {
  readonly exitCode = ExitCode.usage;
}

/** A config file is wrong. `file` and `path` (a JSON pointer such as /sla/p95) name the place. */
export class ConfigError extends UsageError {
  constructor(
    readonly file: string,
    readonly path: string,
    detail: string,
    hint?: string,
  ) {
    super(`${file}: ${path || '/'}: ${detail}`, hint);
  }
}

/** k6 missing, too old, crashed; the target unreachable; a tool failed: exit 3. */
export class RuntimeError extends LoadctlError {
  readonly exitCode = ExitCode.runtime;
}

export class K6Error extends RuntimeError {}
export class TargetError extends RuntimeError {}

export function isLoadctlError(e: unknown): e is LoadctlError {
  return e instanceof LoadctlError;
}

/**
 * The project's error type for user mistakes (bad data, bad options). The command line prints
 * `message` on one line and exits with status 2; programming errors are left as ordinary errors.
 */
export class InputError extends Error {
  override readonly name = "InputError";
  /** Where the problem is, when known: a file, row (1-based data row), column name or option. */
  readonly where: { file?: string; row?: number; column?: string; option?: string };
  constructor(
    message: string,
    where: { file?: string; row?: number; column?: string; option?: string } = {},
  ) {
    super(message);
    this.where = where;
  }
}

/** Throws an InputError about option `option` unless `ok`. */
export function check(ok: boolean, option: string, message: string): asserts ok {
  if (!ok) throw new InputError(`option '${option}': ${message}`, { option });
}

/**
 * A failure to write an output (a full disk, a closed pipe, a lost permission) after the work was
 * done: the command line prints `message` on one line and exits with status 1; nothing is left
 * half written.
 */
export class OutputError extends Error {
  override readonly name = "OutputError";
}

/**
 * A database engine failed part-way through a run that had started (a server error, a lost
 * connection): the command line prints `message` on one line and exits with status 1.
 */
export class EngineError extends Error {
  override readonly name = "EngineError";
}

import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  openSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { InputError, OutputError } from "../errors.js";

/** An output path of a command and the option that names it. */
export interface OutputPath {
  flag: string;
  path: string;
}

const REASONS: Record<string, string> = {
  ENOSPC: "no space left on device",
  EIO: "input/output error",
  EPIPE: "broken pipe",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large",
  ENOENT: "no such file or directory",
  EISDIR: "is a directory",
};

/** "no space left on device (ENOSPC)" for a system error. */
export function reasonOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code ? `${REASONS[code] ?? "error"} (${code})` : String((e as Error).message ?? e);
}

/** The path a name will have on disk (symbolic links of its folder resolved). */
function canonical(path: string): string {
  const full = resolve(path);
  try {
    return realpathSync(full);
  } catch {
    try {
      return join(realpathSync(dirname(full)), basename(full));
    } catch {
      return full;
    }
  }
}

/**
 * Checks every output path before any work: its folder exists and is writable, it is not a
 * directory, not one of the input files, and no two options name the same file. An existing
 * device or pipe (/dev/stdout, /dev/null) is allowed and written in place.
 */
export function checkOutputs(outputs: OutputPath[], inputs: string[]): void {
  const seen = new Map<string, string>();
  const ins = new Map(inputs.filter((f) => existsSync(f)).map((f) => [canonical(f), f]));
  for (const { flag, path } of outputs) {
    const fail = (why: string): never => {
      throw new InputError(`option '${flag}': cannot write '${path}': ${why}`, { option: flag });
    };
    if (path === "") fail("empty file name");
    const full = resolve(path);
    const key = canonical(path);
    if (existsSync(full)) {
      const st = statSync(full);
      if (st.isDirectory()) fail("it is a directory");
      try {
        accessSync(full, constants.W_OK);
      } catch {
        fail("permission denied");
      }
      if (!st.isFile()) continue; // a device or a pipe: written in place, never replaced
    } else {
      const dir = dirname(full);
      if (!existsSync(dir)) fail(`no such directory '${dirname(path)}'`);
      if (!statSync(dir).isDirectory()) fail(`'${dirname(path)}' is not a directory`);
      try {
        accessSync(dir, constants.W_OK);
      } catch {
        fail(`the directory '${dirname(path)}' is not writable`);
      }
    }
    if (ins.has(key)) fail(`it is the input file '${ins.get(key)}'`);
    const other = seen.get(key);
    if (other !== undefined)
      throw new InputError(`options '${other}' and '${flag}' both write '${path}'`, {
        option: flag,
      });
    seen.set(key, flag);
  }
}

/** Writes all of `data` to a file descriptor (retrying on a full non-blocking pipe). */
function writeAll(fd: number, data: Buffer): void {
  let at = 0;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (at < data.length) {
    try {
      at += writeSync(fd, data, at, data.length - at);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
      Atomics.wait(pause, 0, 0, 2);
    }
  }
}

/** Writes text to standard output; a closed or full stdout is an OutputError. */
export function writeStdout(text: string): void {
  if (text === "") return;
  try {
    writeAll(1, Buffer.from(text, "utf8"));
  } catch (e) {
    throw new OutputError(`cannot write to standard output: ${reasonOf(e)}`);
  }
}

/**
 * The outputs of one command, written all or none: each file goes to a temporary file in its own
 * folder and is renamed over its name only once every file — and the standard output — has been
 * written. Devices and pipes named as outputs are written in place, before the renames.
 */
export class Outputs {
  private readonly files: { flag: string; path: string; data: Buffer }[] = [];
  private stdout = "";

  /** Adds a file output (`flag` names its option in messages). */
  file(flag: string, path: string, data: string | Buffer): void {
    this.files.push({ flag, path, data: typeof data === "string" ? Buffer.from(data) : data });
  }

  /** Adds text for the standard output. */
  print(text: string): void {
    this.stdout += text;
  }

  /** Writes everything; on any failure removes what it wrote and throws an OutputError. */
  commit(): void {
    const temps: { tmp: string; path: string }[] = [];
    const cleanup = () => {
      for (const t of temps)
        try {
          unlinkSync(t.tmp);
        } catch {
          /* already gone */
        }
    };
    let current = "";
    try {
      for (const f of this.files) {
        current = `cannot write '${f.path}' (${f.flag})`;
        const full = resolve(f.path);
        if (existsSync(full) && !statSync(full).isFile()) continue; // devices: below
        const tmp = join(
          dirname(full),
          `.${basename(full)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`,
        );
        temps.push({ tmp, path: full });
        const fd = openSync(tmp, "wx", 0o644);
        try {
          writeAll(fd, f.data);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
      }
      for (const f of this.files) {
        const full = resolve(f.path);
        if (!existsSync(full) || statSync(full).isFile()) continue;
        current = `cannot write '${f.path}' (${f.flag})`;
        const fd = openSync(full, "w");
        try {
          writeAll(fd, f.data);
        } finally {
          closeSync(fd);
        }
      }
      current = "cannot write to standard output";
      if (this.stdout) writeAll(1, Buffer.from(this.stdout, "utf8"));
      for (const t of temps) {
        current = `cannot write '${t.path}'`;
        renameSync(t.tmp, t.path);
      }
    } catch (e) {
      cleanup();
      throw new OutputError(`${current}: ${reasonOf(e)}`);
    }
  }
}

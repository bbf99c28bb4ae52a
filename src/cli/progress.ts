import type { WriteStream } from "node:tty";

/**
 * A one-line progress bar with ETA for a terminal (redrawn at most ten times a second). Callers
 * create one only when the stream is a TTY, so piped output stays clean.
 */
export function progressBar(label: string, stream: WriteStream) {
  const start = Date.now();
  let last = 0;
  let drawn = false;
  const fmt = (s: number) =>
    s >= 3600
      ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`
      : s >= 60
        ? `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, "0")}s`
        : `${s.toFixed(0)}s`;
  return {
    update(done: number, total: number): void {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const frac = total > 0 ? Math.min(done / total, 1) : 1;
      const width = 30;
      const filled = Math.round(frac * width);
      const elapsed = (now - start) / 1000;
      const eta = frac > 0 ? (elapsed * (1 - frac)) / frac : NaN;
      const bar = "█".repeat(filled) + "░".repeat(width - filled);
      stream.write(
        `\r${label} ${bar} ${(100 * frac).toFixed(0).padStart(3)}%  ${fmt(elapsed)} elapsed${Number.isFinite(eta) ? `, ETA ${fmt(eta)}` : ""}\x1b[K`,
      );
      drawn = true;
    },
    done(): void {
      if (drawn) stream.write("\r\x1b[K");
    },
  };
}

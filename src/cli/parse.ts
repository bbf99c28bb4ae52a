import { InputError } from "../errors.js";

const NUM = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?(Inf|Infinity)$/i;

function toNumber(option: string, text: string): number {
  const t = text.trim();
  if (!NUM.test(t))
    throw new InputError(`option '${option}': '${text}' is not a number`, { option });
  return /inf/i.test(t) ? (t.startsWith("-") ? -Infinity : Infinity) : Number(t);
}

/** Parses a numeric option value, checking it against [min, max]. */
export function numberOption(
  option: string,
  text: string,
  min = -Infinity,
  max = Infinity,
): number {
  const v = toNumber(option, text);
  if (!(v >= min && v <= max)) {
    throw new InputError(`option '${option}': ${v} is outside [${min}, ${max}]`, { option });
  }
  return v;
}

/** Parses an integer option value in [min, max]. */
export function intOption(
  option: string,
  text: string,
  min = 1,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const v = toNumber(option, text);
  if (!Number.isInteger(v) || v < min) {
    throw new InputError(`option '${option}': expected an integer ≥ ${min}, got '${text}'`, {
      option,
    });
  }
  if (v > max)
    throw new InputError(`option '${option}': ${text} is too large (at most ${max})`, { option });
  return v;
}

/** Parses a comma-separated list of numbers. */
export function listOption(option: string, text: string): number[] {
  const parts = text.split(",");
  if (parts.some((s) => s.trim() === "")) {
    throw new InputError(`option '${option}': expected comma-separated numbers, got '${text}'`, {
      option,
    });
  }
  return parts.map((s) => toNumber(option, s));
}

import { InputError } from "../errors.js";
import { FAMILIES, familyLink, isFamily, type FitFamily } from "../path/families.js";
import { LINKS, type LinkName } from "../datafit/links.js";
import type { CscMatrix } from "../data/matrix.js";

export const MODEL_FORMAT = "regularize-model";
export const MODEL_VERSION = 1;

export type ModelFamily = FitFamily;

/**
 * A fitted linear model as saved by `regularize fit --save` (versioned JSON): the coefficients on
 * the original scale of the features, named, with what is needed to rebuild the design matrix from
 * a new file (one-hot encodings) and to read the response (class labels).
 */
export interface SavedModel {
  format: typeof MODEL_FORMAT;
  version: number;
  createdBy: string;
  family: ModelFamily;
  penalty: string;
  alpha: number;
  lambda: number;
  select: string;
  target: string;
  /** Feature columns after one-hot encoding, in coefficient order. */
  features: string[];
  /** One-hot encodings to re-apply to new data: source column, levels, made columns. */
  encodings: { column: string; levels: string[]; names: string[] }[];
  /** Class labels (binomial: [negative, positive]; multinomial: one per coefficient set). */
  classes?: (number | string)[];
  /** mgaussian: the response columns, in the order of the coefficient sets. */
  responses?: string[];
  /** A family fitted with a link (glmnet's family objects): the link, and θ (negative binomial). */
  link?: LinkName;
  theta?: number;
  /** Intercept (one per class for multinomial, per response for mgaussian). */
  intercept: number | number[];
  /** One coefficient per feature (per class × feature for multinomial). */
  coefficients: number[] | number[][];
  /** The training features' means and sds (population), for reference. */
  standardization: { mean: number[]; sd: number[] };
  /**
   * Cox only: the columns of the survival data, the ties rule and the baseline cumulative hazard
   * at the selected coefficients (per stratum: event times and Λ₀ just after each), from which
   * predict computes S(t | x) = exp(−Λ₀(t)·e^η).
   */
  survival?: {
    ties: "breslow" | "efron";
    time: string;
    status: string;
    start?: string;
    strata?: string;
    baseline: {
      strata: (number | string)[] | null;
      curves: { times: number[]; cumhaz: number[] }[];
    };
  };
  options: Record<string, unknown>;
}

/**
 * A saved model (regularize fit --save) from its JSON text or the parsed object — what a browser
 * has (a fetched or uploaded file) — validated field by field; `source` names it in messages.
 *
 * @example
 * ```ts
 * const model = regularize.parseModel(await (await fetch("model.json")).text());
 * regularize.predictModel(model, xNew.data, xNew.nRows).response[0]; // predictions
 * ```
 */
export function parseModel(text: string | object, source = "<model>"): SavedModel {
  if (typeof text !== "string") return validateModel(text, source);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // V8's message quotes the text (newlines and all); say where instead.
    const at = /position (\d+)/.exec((e as Error).message);
    let where = "";
    if (at) {
      const before = text.slice(0, Number(at[1]));
      const line = before.split("\n").length;
      where = ` at line ${line}, column ${Number(at[1]) - before.lastIndexOf("\n")}`;
    }
    throw new InputError(`${source}: not a JSON file (a syntax error${where})`, { file: source });
  }
  return validateModel(doc, source);
}

/** Checks a parsed model document field by field. */
export function validateModel(doc: unknown, file = "<model>"): SavedModel {
  const bad = (field: string, what: string): never => {
    throw new InputError(`${file}: field '${field}' ${what}`, { file, column: field });
  };
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw new InputError(`${file}: not a regularize model (expected a JSON object)`, { file });
  const m = doc as Record<string, unknown>;
  if (m.format !== MODEL_FORMAT)
    throw new InputError(
      `${file}: not a regularize model (field 'format' is ${JSON.stringify(m.format)}, expected "${MODEL_FORMAT}")`,
      { file },
    );
  if (typeof m.version !== "number" || !Number.isInteger(m.version) || m.version < 1)
    bad("version", `must be an integer ≥ 1, got ${JSON.stringify(m.version)?.slice(0, 40)}`);
  if ((m.version as number) > MODEL_VERSION)
    throw new InputError(
      `${file}: model version ${String(m.version)} is newer than this regularize reads (${MODEL_VERSION}); upgrade regularize`,
      { file },
    );
  if (!isFamily(m.family))
    bad("family", `must be one of ${FAMILIES.join(", ")}, got ${JSON.stringify(m.family)}`);
  const strings = (field: string) => {
    const v = m[field];
    if (!Array.isArray(v) || !v.every((s) => typeof s === "string" && s !== ""))
      bad(field, "must be an array of non-empty strings");
    return v as string[];
  };
  const features = strings("features");
  if (features.length === 0) bad("features", "is empty");
  if (new Set(features).size !== features.length) bad("features", "repeats a name");
  if (typeof m.target !== "string" || m.target === "") bad("target", "must be a column name");
  const finite = (v: unknown) => typeof v === "number" && Number.isFinite(v);
  const vector = (v: unknown, field: string, length: number) => {
    if (!Array.isArray(v) || !v.every(finite)) bad(field, "must be an array of finite numbers");
    if ((v as number[]).length !== length)
      bad(field, `has ${(v as number[]).length} values, expected ${length} (one per feature)`);
  };
  if (!finite(m.lambda) || (m.lambda as number) < 0) bad("lambda", "must be a number ≥ 0");
  if (!finite(m.alpha)) bad("alpha", "must be a number");
  const p = features.length;
  if (m.family === "multinomial" || m.family === "mgaussian") {
    const labels = m.family === "multinomial" ? m.classes : m.responses;
    const field = m.family === "multinomial" ? "classes" : "responses";
    if (!Array.isArray(labels) || labels.length < (m.family === "multinomial" ? 2 : 1))
      bad(field, `must list the ${field === "classes" ? "class labels" : "response columns"}`);
    const K = (labels as unknown[]).length;
    if (!Array.isArray(m.intercept) || m.intercept.length !== K || !m.intercept.every(finite))
      bad(
        "intercept",
        `must be ${K} finite numbers (one per ${field === "classes" ? "class" : "response"})`,
      );
    if (!Array.isArray(m.coefficients) || m.coefficients.length !== K)
      bad(
        "coefficients",
        `must be ${K} arrays (one per ${field === "classes" ? "class" : "response"})`,
      );
    (m.coefficients as unknown[]).forEach((row, c) => vector(row, `coefficients[${c}]`, p));
  } else {
    if (!finite(m.intercept)) bad("intercept", "must be a finite number");
    vector(m.coefficients, "coefficients", p);
    if (m.family === "binomial" && (!Array.isArray(m.classes) || m.classes.length !== 2))
      bad("classes", "must hold the two class labels [negative, positive]");
  }
  if (m.classes !== undefined) {
    if (!Array.isArray(m.classes)) bad("classes", "must be an array of labels");
    const cl = m.classes as unknown[];
    if (!cl.every((c) => typeof c === "string" || (typeof c === "number" && Number.isFinite(c))))
      bad("classes", "must hold numbers or strings (one label per class)");
    if (new Set(cl).size !== cl.length) bad("classes", "repeats a label");
  }
  if (!Array.isArray(m.encodings)) bad("encodings", "must be an array");
  for (const [k, e] of (m.encodings as unknown[]).entries()) {
    const enc = e as Record<string, unknown>;
    if (
      typeof enc !== "object" ||
      enc === null ||
      typeof enc.column !== "string" ||
      !Array.isArray(enc.levels) ||
      !Array.isArray(enc.names) ||
      enc.levels.length !== enc.names.length
    )
      bad(`encodings[${k}]`, "must be { column, levels, names } with as many names as levels");
    if (!(enc.levels as unknown[]).every((l) => typeof l === "string"))
      bad(`encodings[${k}].levels`, "must be strings");
    const unknown = (enc.names as unknown[]).find(
      (nm) => typeof nm !== "string" || !features.includes(nm),
    );
    if (unknown !== undefined)
      bad(
        `encodings[${k}].names`,
        `names ${JSON.stringify(unknown)?.slice(0, 60)}, which is not one of the model's features`,
      );
  }
  if (
    m.link !== undefined ||
    m.theta !== undefined ||
    ["gamma", "inverse-gaussian", "negative-binomial"].includes(m.family as string)
  ) {
    if (m.link === undefined) bad("link", `must name the ${m.family as string} family's link`);
    try {
      familyLink(m.family as string, m.link as string, m.theta as number | undefined);
    } catch (e) {
      if (e instanceof InputError)
        bad(
          e.where.option ?? "link",
          `is not valid (${e.message.replace(/^option .[a-z]+.: /, "")})`,
        );
      throw e;
    }
  }
  if (m.family === "cox") {
    const sv = m.survival as Record<string, unknown> | undefined;
    if (!sv || typeof sv !== "object")
      bad("survival", "must describe the Cox model's survival data");
    if (sv!.ties !== "breslow" && sv!.ties !== "efron")
      bad("survival.ties", "must be breslow or efron");
    const bl = sv!.baseline as Record<string, unknown> | undefined;
    if (!bl || !Array.isArray(bl.curves) || bl.curves.length === 0)
      bad("survival.baseline", "must hold the baseline hazard curves");
    const curves = (bl as { curves: unknown[] }).curves;
    if (
      bl!.strata !== null &&
      (!Array.isArray(bl!.strata) || (bl!.strata as unknown[]).length !== curves.length)
    )
      bad("survival.baseline.strata", "must be null or one label per curve");
    curves.forEach((c, k) => {
      const cv = c as Record<string, unknown>;
      const ok = (v: unknown) => Array.isArray(v) && v.every(finite);
      if (
        !ok(cv?.times) ||
        !ok(cv?.cumhaz) ||
        (cv.times as number[]).length !== (cv.cumhaz as number[]).length
      )
        bad(`survival.baseline.curves[${k}]`, "must be { times, cumhaz } of equal length");
    });
  }
  const st = m.standardization as Record<string, unknown> | undefined;
  if (!st || typeof st !== "object") bad("standardization", "must be { mean, sd }");
  vector(st!.mean, "standardization.mean", p);
  vector(st!.sd, "standardization.sd", p);
  return m as unknown as SavedModel;
}

/** Predictions of a model for rows of x: column-major n × p values, or a CSC matrix, in the model's feature order. */
export function predictModel(
  model: SavedModel,
  x: Float64Array | CscMatrix,
  n: number,
): { eta: Float64Array[]; response: Float64Array[]; label?: (number | string)[] } {
  const p = model.features.length;
  const sets =
    model.family === "multinomial" || model.family === "mgaussian"
      ? (model.coefficients as number[][]).map((b, c) => ({
          a0: (model.intercept as number[])[c],
          b,
        }))
      : [{ a0: model.intercept as number, b: model.coefficients as number[] }];
  const eta = sets.map(({ a0, b }) => {
    const e = new Float64Array(n).fill(a0);
    for (let j = 0; j < p; j++) {
      const bj = b[j];
      if (bj === 0) continue;
      if (x instanceof Float64Array) for (let i = 0; i < n; i++) e[i] += bj * x[j * n + i];
      else for (let k = x.colPtr[j]; k < x.colPtr[j + 1]; k++) e[x.rowIndex[k]] += bj * x.values[k];
    }
    return e;
  });
  // A family with a link: the mean g⁻¹(η).
  if (model.link !== undefined) {
    const link = LINKS[model.link];
    const mean = eta[0].map((v) => link.inverse(v));
    if (model.family !== "binomial") return { eta, response: [mean] };
    return {
      eta,
      response: [mean],
      label: Array.from(mean, (q) => model.classes![q > 0.5 ? 1 : 0]),
    };
  }
  if (model.family === "gaussian" || model.family === "mgaussian") return { eta, response: eta };
  // Cox: the relative risk e^η (no intercept; the baseline hazard carries the scale).
  if (model.family === "cox") return { eta, response: [eta[0].map(Math.exp)] };
  if (model.family === "poisson") return { eta, response: [eta[0].map(Math.exp)] };
  if (model.family === "binomial") {
    const prob = eta[0].map((v) => 1 / (1 + Math.exp(-v)));
    return {
      eta,
      response: [prob],
      label: Array.from(prob, (q) => model.classes![q > 0.5 ? 1 : 0]),
    };
  }
  // multinomial: softmax over classes
  const K = eta.length;
  const probs = eta.map(() => new Float64Array(n));
  const label: (number | string)[] = [];
  for (let i = 0; i < n; i++) {
    let mx = -Infinity;
    for (let c = 0; c < K; c++) mx = Math.max(mx, eta[c][i]);
    let z = 0;
    for (let c = 0; c < K; c++) z += Math.exp(eta[c][i] - mx);
    let best = 0;
    for (let c = 0; c < K; c++) {
      probs[c][i] = Math.exp(eta[c][i] - mx) / z;
      if (probs[c][i] > probs[best][i]) best = c;
    }
    label.push(model.classes![best]);
  }
  return { eta, response: probs, label };
}

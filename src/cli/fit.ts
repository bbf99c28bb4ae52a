import { columnMoments } from "../data/matrix.js";
import type { ModelPath } from "../path/fit.js";
import { readFileSync } from "node:fs";
import { cvPath } from "../cv/cvPath.js";
import { checkMeasure, defaultMeasure, type Measure } from "../cv/measures.js";
import { familyResponse, readDesign, readOptions, type Design } from "./input.js";
import { checkOutputs, Outputs } from "./output.js";
import { engineData, engineOption, fallsBack, openEngine, type EngineName } from "./engine.js";
import { glmCvFromEngine } from "../engine/glm.js";
import type { EngineData } from "../engine/gaussian.js";
import { addStats } from "../data/gramDesign.js";
import { gaussianStatsCv } from "../path/statsPath.js";
import { coreFamily, coreFamilyOptions, withFlagNames, withRowOptions } from "./path.js";
import type { FitFamily } from "../path/families.js";
import { distribution, type LinkFamilyName } from "../datafit/linkFamily.js";
import type { LinkName } from "../datafit/links.js";
import { InputError } from "../errors.js";
import { explainSparsity, type SparsityExplanation } from "../explain/explain.js";
import { MODEL_FORMAT, MODEL_VERSION, predictModel, type SavedModel } from "../model/model.js";
import { assess, type Assessment } from "../model/assess.js";
import { VERSION } from "./version.js";
import type { PathFit, SparseVector } from "../path/elasticNetPath.js";
import type { MultinomialFit } from "../path/multinomialPath.js";
import { ridgePath, type RidgeCv } from "../path/ridgePath.js";
import {
  coefficientBarChart,
  coefficientPathChart,
  cvCurveChart,
  deadZoneChart,
  stabilityChart,
  survivalChart,
  rocChart,
  type Chart,
} from "../report/charts.js";
import { escapeHtml, htmlTable, renderReport, type ReportSection } from "../report/html.js";
import { stabilitySelection, type StabilityResult } from "../select/stability.js";
import { alignTable } from "./format.js";
import type { Parsed } from "./parse.js";
import type { FIT_OPTIONS } from "./schema.js";
import { progressBar } from "./progress.js";
import { concordance } from "../cv/survival.js";
import { matVec } from "../data/matrix.js";
import { coxBaseline, kaplanMeier, survivalAt } from "../path/survival.js";

/** The report's section of the training-row assessment: measures, ROC curve, confusion matrix. */
function assessmentSection(a: Assessment, select: string): ReportSection {
  const rows = Object.entries(a.measures).map(([k, v]) => [
    (MEASURE_TITLES[k as Measure] ?? k).replace(" (cross-validated)", ""),
    (v as number).toPrecision(5),
  ]);
  let html = `<p>The selected model (λ_${escapeHtml(select)}) on the ${a.n} rows it was fitted to, as <code>regularize assess</code> (glmnet's <code>assess.glmnet</code>): an optimistic view, since these rows chose its coefficients — the cross-validation curve above is the honest estimate.</p>${htmlTable(["measure", "value"], rows)}`;
  if (a.confusion) {
    const { labels, counts } = a.confusion;
    html += `<p>Confusion matrix (rows: predicted class, columns: true class):</p>${htmlTable(
      ["", ...labels.map(String)],
      counts.map((row, k) => [String(labels[k]), ...row.map(String)]),
    )}`;
  }
  return {
    heading: "Assessment on the training rows",
    html,
    ...(a.roc && a.measures.auc !== undefined ? { charts: [rocChart(a.roc, a.measures.auc)] } : {}),
  };
}

/**
 * The saved model's measures on its training rows (offsets added back): as `regularize assess`
 * on the training file.
 */
function trainingAssessment(
  family: FitFamily,
  model: SavedModel,
  d: Design,
  x: Design["x"],
  y: Float64Array,
  ties?: string,
): Assessment {
  const n = x.nRows;
  const { eta } = predictModel(model, x.kind === "dense" ? x.data : x, n);
  if (d.offset) for (const e of eta) for (let i = 0; i < n; i++) e[i] += d.offset[i];
  return assess(family, eta, family === "mgaussian" ? d.responses!.y.data : y, {
    weights: d.weights,
    link: model.link,
    theta: model.theta,
    classes: model.classes,
    survival:
      family === "cox"
        ? {
            time: d.y,
            status: d.status!,
            start: d.start,
            strata: d.strata,
            ties: ties as "breslow" | "efron" | undefined,
          }
        : undefined,
  });
}

/**
 * The Cox model's view of its training data at coefficients β: the baseline hazard, Harrell's C
 * of the risk score, and per tertile of the risk score the Kaplan–Meier curve with the model's
 * mean predicted survival at the same times.
 */
function coxView(d: Design, x: Design["x"], beta: Float64Array, ties?: string) {
  const n = x.nRows;
  const surv = {
    time: d.y,
    status: d.status!,
    start: d.start,
    strata: d.strata,
    ties: ties as "breslow" | "efron" | undefined,
  };
  const base = coxBaseline(x, beta, surv, { weights: d.weights, offset: d.offset });
  const eta = matVec(x, beta, new Float64Array(n));
  if (d.offset) for (let i = 0; i < n; i++) eta[i] += d.offset[i];
  const w = d.weights ?? new Float64Array(n).fill(1);
  const all = Array.from({ length: n }, (_, i) => i);
  const cIndex = concordance(eta, surv, w, all);
  const ranked = all.slice().sort((a, b) => eta[a] - eta[b] || a - b);
  const names = ["lowest third", "middle third", "highest third"];
  const groups = names.map((label, g) => {
    const rows = ranked.slice(Math.floor((g * n) / 3), Math.floor(((g + 1) * n) / 3));
    const km = kaplanMeier(surv, d.weights, rows);
    const S = survivalAt(
      base,
      rows.map((i) => eta[i]),
      km.times,
      d.strata && rows.map((i) => d.strata![i]),
    );
    const mean = Float64Array.from(km.times, (_, k) => {
      let s = 0;
      for (const r of S) s += r[k];
      return s / S.length;
    });
    return { label, km, model: { times: km.times, surv: mean } };
  });
  return { base, cIndex, groups };
}

/** The options of `regularize fit` (and of `regularize demo`, which sets them per dataset). */
export type FitCliOptions = Parsed<typeof FIT_OPTIONS>;

const MEASURE_TITLES: Record<Measure, string> = {
  mse: "Mean-squared error (cross-validated)",
  mae: "Mean absolute error (cross-validated)",
  deviance: "Deviance (cross-validated)",
  class: "Misclassification rate (cross-validated)",
  auc: "AUC (cross-validated)",
  C: "Harrell's C (cross-validated)",
};

/** Group ids per feature from a file: "feature,group" lines, or one id per line in feature order. */
function readGroups(file: string, features: string[]): number[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new InputError(`option '--groups': cannot read file '${file}'`, {
      option: "--groups",
      file,
    });
  }
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
  if (lines.length && lines[0].includes(",")) {
    const body = /^\d+$/.test(lines[0].split(",")[1]?.trim() ?? "") ? lines : lines.slice(1);
    const ids = new Map<string, number>();
    const names = new Map<string, number>();
    body.forEach((l, r) => {
      const [f, g] = l.split(",").map((s) => s.trim());
      if (!features.includes(f))
        throw new InputError(`${file}: line ${r + 1}: '${f}' is not a feature of the data`, {
          file,
          row: r + 1,
        });
      if (!names.has(g)) names.set(g, names.size + 1);
      ids.set(f, names.get(g)!);
    });
    const miss = features.find((f) => !ids.has(f));
    if (miss)
      throw new InputError(`${file}: feature '${miss}' has no group`, { file, column: miss });
    return features.map((f) => ids.get(f)!);
  }
  if (lines.length !== features.length)
    throw new InputError(
      `${file}: has ${lines.length} group ids but the data have ${features.length} features`,
      { file },
    );
  return lines.map((l, r) => {
    if (!/^\d+$/.test(l))
      throw new InputError(`${file}: line ${r + 1}: expected a group id (an integer), got '${l}'`, {
        file,
        row: r + 1,
      });
    return Number(l);
  });
}

interface Curve {
  measure: Measure;
  lambda: Float64Array;
  cvm: Float64Array;
  cvsd: Float64Array;
  nzero: Int32Array;
  indexMin: number;
  index1se: number;
}

/** A path fit reduced to what the command needs, whatever the penalty. */
interface AnyFit {
  lambda: Float64Array;
  intercept: (k: number) => number[];
  /** Coefficients (original scale) at path point k, one array per class. */
  coef: (k: number) => Float64Array[];
  kktMax: Float64Array;
  objective: Float64Array;
  df: ArrayLike<number>;
}

const dense = (v: SparseVector, p: number) => {
  const b = new Float64Array(p);
  v.index.forEach((j, t) => (b[j] = v.value[t]));
  return b;
};

function wrapGlm(fit: PathFit | MultinomialFit | ModelPath, p: number): AnyFit {
  if ("coefficients" in fit)
    return {
      lambda: fit.lambda,
      intercept: (k) => Array.from(fit.intercepts[k]),
      coef: (k) => fit.coefficients[k].map((v) => dense(v, p)),
      kktMax: fit.kktMax,
      objective: fit.objective,
      df: fit.df,
    };
  if ("classes" in fit)
    return {
      lambda: fit.lambda,
      intercept: (k) => Array.from(fit.intercept[k]),
      coef: (k) => fit.beta[k].map((v) => dense(v, p)),
      kktMax: fit.kktMax,
      objective: fit.objective,
      df: fit.df,
    };
  return {
    lambda: fit.lambda,
    intercept: (k) => [fit.intercept[k]],
    coef: (k) => [dense(fit.beta[k], p)],
    kktMax: fit.kktMax,
    objective: fit.objective,
    df: fit.df,
  };
}

const fmt = (v: number) =>
  v === 0 ? "0" : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(3) : v.toPrecision(4);

/** Runs `regularize fit`: path, cross-validation, the selected model, report and saved model. */
export async function runFit(file: string, o: FitCliOptions, title?: string): Promise<void> {
  // ---- options, all checked before any work ----
  const { family, penalty, folds, nlambda: nLambda, lambdaMinRatio, stability: pairs } = o;
  const { threshold, seed } = o;
  // The families (and links) the model core fits: no engine, stability or "why zero" there.
  const core = coreFamily(family, o);
  const familyExtra = coreFamilyOptions(o, family);
  // α: the elastic-net mixing; for the group penalty, the L1 share within groups (0: the group
  // lasso, > 0: the sparse group lasso).
  const alpha =
    o.alpha !== undefined
      ? o.alpha
      : penalty === "ridge" || penalty === "group"
        ? 0
        : penalty === "elastic-net"
          ? 0.5
          : 1;
  if (penalty === "lasso" && alpha !== 1)
    throw new InputError("option '--alpha': the lasso has α = 1 (use --penalty elastic-net)", {
      option: "--alpha",
    });
  if (penalty === "ridge" && alpha !== 0)
    throw new InputError("option '--alpha': ridge has α = 0 (use --penalty elastic-net)", {
      option: "--alpha",
    });
  if (penalty === "group" && !o.groups)
    throw new InputError("option '--groups' is required with --penalty group", {
      option: "--groups",
    });
  if (o.groups && penalty !== "group")
    throw new InputError("option '--groups' needs --penalty group", { option: "--groups" });
  const measure =
    o.measure === undefined
      ? defaultMeasure(family)
      : withFlagNames(() => checkMeasure(family, o.measure!));
  if (
    pairs !== undefined &&
    (penalty === "group" ||
      penalty === "mcp" ||
      penalty === "scad" ||
      family === "multinomial" ||
      core)
  )
    throw new InputError(
      "option '--stability': stability selection runs with the lasso / elastic-net penalties and the gaussian, binomial or poisson family",
      { option: "--stability" },
    );
  checkOutputs(
    (
      [
        ["--report", o.report],
        ["--save", o.save],
        ["--json", o.json],
      ] as const
    )
      .filter(([, f]) => f !== undefined)
      .map(([flag, path]) => ({ flag, path: path! })),
    [file, ...(o.groups ? [o.groups] : [])],
  );

  // ---- data: rows in memory, or sums from an engine ----
  const engine = engineOption({ ...o, family }, file);
  const engineCan = (name: string) => {
    if (core)
      throw new InputError(
        `option '--engine': the ${family} family${o.link ? ` with the ${o.link} link` : ""} is fitted in memory, not by ${name}`,
        {
          option: "--engine",
        },
      );
    if (penalty === "group" || penalty === "mcp" || penalty === "scad")
      throw new InputError(`option '--engine': ${name} fits the lasso, elastic net and ridge`, {
        option: "--engine",
      });
    if (pairs !== undefined)
      throw new InputError(`option '--stability': needs the rows in memory (--engine memory)`, {
        option: "--stability",
      });
    const glm = family === "binomial" || family === "poisson";
    if (measure !== (glm ? "deviance" : "mse"))
      throw new InputError(
        `option '--measure': --engine ${name} cross-validates by ${glm ? "deviance" : "mse"}`,
        { option: "--measure" },
      );
    if (o.positive !== undefined)
      throw new InputError("option '--positive': with an engine the target is 0/1 (1 the event)", {
        option: "--positive",
      });
  };
  let d: Design | undefined;
  let eng: EngineData | undefined;
  let glmEng: Awaited<ReturnType<typeof glmCvFromEngine>> | undefined;
  const viaEngine = async (name: Exclude<EngineName, "memory">) => {
    engineCan(name);
    if (family === "binomial" || family === "poisson") {
      glmEng = await glmCvFromEngine(await openEngine(name, file), family, {
        target: o.target,
        missing: readOptions(o).missing,
        options: { alpha, nLambda, lambdaMinRatio },
        K: folds,
        seed,
        foldColumn: o.foldColumn,
        weights: o.weights,
        offset: o.offset,
      });
      process.stderr.write(
        `regularize: ${glmEng.scans} scans of the table (path and ${folds} folds)\n`,
      );
    } else eng = await engineData(name, file, o, { K: folds, seed, column: o.foldColumn });
  };
  if (engine && engine !== "memory") await viaEngine(engine);
  else
    try {
      d = await readDesign(file, o, 3);
    } catch (e) {
      if (!fallsBack(e, engine, { ...o, family })) throw e;
      await viaEngine("duckdb");
    }
  if (d && (d.weights || d.offset) && pairs !== undefined)
    throw new InputError(`option '${d.weights ? "--weights" : "--offset"}': not with --stability`, {
      option: d.weights ? "--weights" : "--offset",
    });
  const response = d
    ? familyResponse(family, d, o.positive)
    : { y: new Float64Array(0), classes: family === "binomial" ? [0, 1] : undefined };
  const { y } = response;
  const x = d?.x;
  const features = d ? d.features : glmEng ? glmEng.full.features : eng!.features;
  const n = d ? d.x.nRows : glmEng ? glmEng.full.fit.nObs : eng!.stats.reduce((a, s) => a + s.n, 0);
  const p = features.length;
  const meta = d
    ? {
        target: d.target,
        dropped: d.dropped,
        constant: d.constant,
        duplicates: d.duplicates,
        droppedRows: d.table.droppedRows,
        imputed: d.table.imputed,
        encodings: d.table.encodings,
      }
    : {
        target: glmEng ? glmEng.full.target : eng!.target,
        dropped: [] as string[],
        constant: glmEng ? glmEng.full.constant : eng!.constant,
        duplicates: [] as [string, string][],
        droppedRows: [] as number[],
        imputed: [] as { column: string; mean: number; count: number }[],
        encodings: [] as { column: string; levels: string[]; names: string[] }[],
      };
  if (folds > n)
    throw new InputError(`option '--folds': ${folds} folds for ${n} rows`, {
      option: "--folds",
    });
  const groups = o.groups ? readGroups(o.groups, features) : undefined;
  const tty = process.stderr.isTTY === true;

  // ---- path and cross-validation ----
  const cvBar = tty ? progressBar("cross-validation", process.stderr) : null;
  let fit: AnyFit;
  let curve: Curve;
  let foldId: Int32Array;
  let exactRidge = false;
  if (glmEng) {
    fit = wrapGlm(glmEng.full.fit, p);
    foldId = new Int32Array(0);
    curve = { ...glmEng.cv, measure: "deviance" };
  } else if (eng) {
    const r = gaussianStatsCv(eng.stats, { alpha, nLambda, lambdaMinRatio });
    fit = wrapGlm(r.fit, p);
    foldId = new Int32Array(0);
    curve = { ...r, measure: "mse" };
  } else {
    const core = penalty === "group" || penalty === "mcp" || penalty === "scad";
    const r = await cvPath(x!, d!.responses ? d!.responses.y : y, {
      ...withRowOptions({}, d!, family, o.ties),
      ...familyExtra,
      family,
      ...(core ? { penalty, groups } : {}),
      alpha: penalty === "mcp" || penalty === "scad" ? undefined : alpha,
      nLambda,
      lambdaMinRatio,
      nFolds: folds,
      foldId: d!.foldId,
      seed,
      measure,
      stratified: family === "binomial" || family === "multinomial",
      onProgress: cvBar ? (a, b) => cvBar.update(a, b) : undefined,
    });
    fit = wrapGlm(r.fit, p);
    foldId = r.foldId;
    curve = { ...r, measure: r.measure };
    exactRidge = "solver" in r.fit && r.fit.solver === "ridge-eigen";
  }
  cvBar?.done();
  // ---- ridge solved exactly: leave-one-out and GCV errors next to K-fold CV ----
  // (elasticNetPath took the exact solver, so the shape makes it the cheaper one.)
  const ridgeCv: RidgeCv | undefined =
    exactRidge && x ? ridgePath(x, y, { weights: d!.weights, lambda: curve.lambda }).cv : undefined;
  const k = o.select === "min" ? curve.indexMin : curve.index1se;
  const lambdaSel = fit.lambda[k];
  const coef = fit.coef(k);
  const intercept = fit.intercept(k);

  // ---- stability selection ----
  let stab: StabilityResult | undefined;
  if (
    pairs !== undefined &&
    (family === "gaussian" || family === "binomial" || family === "poisson")
  ) {
    const bar = tty ? progressBar("stability selection", process.stderr) : null;
    const q = o.q ?? Math.max(1, Math.round(Math.sqrt(0.8 * p)));
    if (q > p)
      throw new InputError(`option '--q': ${q} exceeds the ${p} features`, { option: "--q" });
    stab = await stabilitySelection(x!, y, {
      family,
      alpha,
      pairs,
      threshold,
      q,
      seed,
      onProgress: bar ? (a, b) => bar.update(a, b) : undefined,
    });
    bar?.done();
  }

  // ---- the "why zero" explanation at the selected λ ----
  let why: SparsityExplanation | undefined;
  if (
    x &&
    (penalty === "lasso" || penalty === "elastic-net") &&
    (family === "gaussian" || family === "binomial" || family === "poisson") &&
    !core
  )
    why = explainSparsity(family, x, y, lambdaSel, { ...withRowOptions({}, d!, family), alpha });

  // ---- terminal output ----
  const K = coef.length;
  const order = features
    .map((f, j) => ({ f, j, v: Math.max(...coef.map((b) => Math.abs(b[j]))) }))
    .sort((a, b) => b.v - a.v || a.j - b.j);
  const nonzero = order.filter((r) => r.v !== 0).length;
  const out: string[] = [];
  out.push(
    `${title ?? `${penalty} (${family}) on ${file}`}: target '${meta.target}', ${n} rows, ${p} features${meta.dropped.length ? ` (dropped as constant or duplicate: ${meta.dropped.slice(0, 6).join(", ")}${meta.dropped.length > 6 ? ", …" : ""})` : ""}`,
  );
  out.push(
    `${folds}-fold cross-validation (${curve.measure}): λ_min = ${fmt(curve.lambda[curve.indexMin])} (${fmt(curve.cvm[curve.indexMin])} ± ${fmt(curve.cvsd[curve.indexMin])}), λ_1se = ${fmt(curve.lambda[curve.index1se])} (${fmt(curve.cvm[curve.index1se])}); selected λ_${o.select} = ${fmt(lambdaSel)}: ${nonzero} of ${p} features non-zero, KKT ${fit.kktMax[k].toExponential(1)}`,
  );
  if (ridgeCv)
    out.push(
      `exact ridge path (one eigen-decomposition): leave-one-out λ = ${fmt(ridgeCv.lambdaLoo)} (mse ${fmt(Math.min(...ridgeCv.loo))}), GCV λ = ${fmt(ridgeCv.lambdaGcv)} (mse ${fmt(Math.min(...ridgeCv.gcv))})`,
    );
  const stableSet = new Set(stab ? Array.from(stab.stable) : []);
  const shown = order.filter((r) => r.v !== 0 || stab || p <= 30);
  const header =
    K === 1
      ? ["feature", "coefficient", ...(stab ? ["sel. prob."] : []), ...(why ? ["why"] : [])]
      : [
          "feature",
          ...(d?.responses ? d.responses.names : (response.classes ?? []).map((c) => `class ${c}`)),
        ];
  const rows = shown.map((r) => {
    if (K > 1) return [r.f, ...coef.map((b) => fmt(b[r.j]))];
    const e = why?.features.find((f) => f.index === r.j);
    const reason = !why
      ? []
      : !e
        ? ["constant column: excluded, 0"]
        : [
            e.status === "active"
              ? "balances the penalty"
              : e.status === "zero"
                ? `dead zone, margin ${fmt(e.margin ?? 0)}`
                : "borderline",
          ];
    return [
      r.f,
      fmt(coef[0][r.j]),
      ...(stab ? [`${stab.maxProbability[r.j].toFixed(2)}${stableSet.has(r.j) ? " *" : ""}`] : []),
      ...reason,
    ];
  });
  // Colour on a terminal only (and not with NO_COLOR): the header bold, zero weights dim,
  // stable features green.
  const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
  const table = alignTable(header, rows).trimEnd().split("\n");
  out.push(
    ...(colour
      ? table.map((line, i) =>
          i === 0
            ? `\x1b[1m${line}\x1b[0m`
            : shown[i - 1].v === 0
              ? `\x1b[2m${line}\x1b[0m`
              : stableSet.has(shown[i - 1].j)
                ? `\x1b[32m${line}\x1b[0m`
                : line,
        )
      : table),
  );
  if (shown.length < p) out.push(`(${p - shown.length} features with zero coefficients not shown)`);
  if (stab)
    out.push(
      `stability selection (${pairs} pairs, π = ${threshold}, q = ${stab.qHat.toFixed(1)}): stable set {${[...stableSet].map((j) => features[j]).join(", ")}}; expected false selections ≤ ${stab.falseSelectionBound.toFixed(2)}`,
    );
  if (response.note) out.splice(1, 0, response.note);
  const outputs = new Outputs();
  outputs.print(out.join("\n") + "\n");

  // ---- saved model ----
  const total = eng ? addStats(eng.stats) : undefined;
  const sd = features.map((_, j) => {
    if (glmEng) return { m: glmEng.full.moments.mean[j], s: glmEng.full.moments.sd[j] };
    if (total) {
      const mean = total.sx[j] / n;
      const v = total.sxx[j * p + j] / n - mean * mean;
      return { m: total.shiftX[j] + mean, s: Math.sqrt(Math.max(0, v)) };
    }
    return columnMoments(x!, j);
  });
  const model: SavedModel = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    createdBy: `regularize ${VERSION}`,
    family,
    penalty,
    alpha,
    lambda: lambdaSel,
    select: o.select,
    target: meta.target,
    features,
    encodings: meta.encodings,
    classes: response.classes,
    intercept: K > 1 ? intercept : intercept[0],
    coefficients: K > 1 ? coef.map((b) => Array.from(b)) : Array.from(coef[0]),
    ...(d?.responses ? { responses: d.responses.names } : {}),
    ...(core && family !== "cox" && family !== "mgaussian"
      ? {
          link: (familyExtra.link ??
            distribution(family as LinkFamilyName, 1).links[0]) as LinkName,
          ...(familyExtra.theta !== undefined ? { theta: familyExtra.theta } : {}),
        }
      : {}),
    standardization: { mean: sd.map((s) => s.m), sd: sd.map((s) => s.s) },
    options: {
      folds,
      seed,
      measure: curve.measure,
      missing: o.missing,
      categorical: o.categorical,
      dropped: meta.dropped,
    },
  };
  // The Cox model's baseline hazard at the selected coefficients (for predict --times) and the
  // survival view of the report.
  let cox: ReturnType<typeof coxView> | undefined;
  if (family === "cox" && d && x) {
    cox = coxView(d, x, coef[0], o.ties);
    model.survival = {
      ties: cox.base.ties,
      time: meta.target,
      status: o.status!,
      ...(o.start !== undefined ? { start: o.start } : {}),
      ...(o.strata !== undefined ? { strata: o.strata } : {}),
      baseline: {
        strata: cox.base.strata,
        curves: cox.base.curves.map((c) => ({
          times: Array.from(c.times),
          cumhaz: Array.from(c.cumhaz),
        })),
      },
    };
  }
  // The selected model assessed on its training rows (assess.glmnet with the training data).
  const assessment = d && x ? trainingAssessment(family, model, d, x, y, o.ties) : undefined;
  if (o.save) outputs.file("--save", o.save, JSON.stringify(model, null, 1) + "\n");
  if (o.json) {
    const doc = {
      data: file,
      target: meta.target,
      features,
      family,
      penalty,
      alpha,
      lambda: Array.from(fit.lambda),
      df: Array.from(fit.df),
      kktMax: Array.from(fit.kktMax),
      cv: {
        measure: curve.measure,
        lambda: Array.from(curve.lambda),
        cvm: Array.from(curve.cvm),
        cvsd: Array.from(curve.cvsd),
        nzero: Array.from(curve.nzero),
        lambdaMin: curve.lambda[curve.indexMin],
        lambda1se: curve.lambda[curve.index1se],
        foldId: Array.from(foldId),
      },
      // Ridge solved exactly: leave-one-out and generalized CV errors (weighted mean squared
      // errors, as cvm) at the same λ.
      exactRidge: ridgeCv
        ? {
            loo: Array.from(ridgeCv.loo),
            gcv: Array.from(ridgeCv.gcv),
            dof: Array.from(ridgeCv.dof),
            lambdaLoo: ridgeCv.lambdaLoo,
            lambdaGcv: ridgeCv.lambdaGcv,
          }
        : undefined,
      selected: {
        rule: o.select,
        lambda: lambdaSel,
        index: k,
        intercept: model.intercept,
        coefficients: model.coefficients,
      },
      // The selected model on its training rows (as regularize assess).
      assessment,
      stability: stab
        ? {
            pairs,
            threshold,
            maxProbability: Array.from(stab.maxProbability),
            stable: Array.from(stab.stable).map((j) => features[j]),
            falseSelectionBound: stab.falseSelectionBound,
          }
        : undefined,
      explanation: why
        ? why.features.map((e) => ({
            feature: features[e.index],
            coefficient: e.coefficient,
            gradient: e.gradient,
            threshold: e.threshold,
            margin: e.margin,
            status: e.status,
          }))
        : undefined,
      dropped: meta.dropped,
      constant: meta.constant,
      duplicates: meta.duplicates.map(([column, of]) => ({ column, of })),
      droppedRows: meta.droppedRows,
      imputed: meta.imputed,
      encodings: meta.encodings,
    };
    outputs.file("--json", o.json, JSON.stringify(doc, null, 1) + "\n");
  }

  // ---- report ----
  if (o.report) {
    const across = family === "mgaussian" ? "responses" : "classes";
    const marks = [
      { label: "λ_min", lambda: curve.lambda[curve.indexMin] },
      { label: "λ_1se", lambda: curve.lambda[curve.index1se] },
    ];
    const charts: Chart[] = [];
    const pathChart =
      K === 1
        ? coefficientPathChart(fit.lambda, features, (kk) => fit.coef(kk)[0], marks)
        : coefficientPathChart(
            fit.lambda,
            features,
            (kk) => {
              const cs = fit.coef(kk);
              return Float64Array.from(features, (_, j) =>
                Math.sqrt(cs.reduce((a, b) => a + b[j] ** 2, 0)),
              );
            },
            marks,
            `‖coefficients across ${across}‖₂`,
          );
    charts.push(pathChart);
    const selRows =
      K === 1
        ? features.map((f, j) => ({ feature: f, value: coef[0][j] }))
        : features.map((f, j) => ({
            feature: f,
            value: Math.sqrt(coef.reduce((a, b) => a + b[j] ** 2, 0)),
          }));
    const sections: ReportSection[] = [
      {
        heading: "Data and model",
        html: htmlTable(
          ["", ""],
          [
            ["data", file],
            ["target", meta.target],
            ["rows × features", `${n} × ${p}`],
            ["family", family],
            ["penalty", `${penalty} (α = ${alpha})`],
            ["cross-validation", `${folds} folds, measure ${curve.measure}, seed ${seed}`],
            [
              "selected",
              `λ_${o.select} = ${fmt(lambdaSel)} (${nonzero} of ${p} features non-zero)`,
            ],
            ["optimality (KKT violation)", fit.kktMax[k].toExponential(2)],
            ...(meta.dropped.length ? [["dropped columns", meta.dropped.join(", ")]] : []),
            ...(meta.constant.length
              ? [["constant columns (coefficient 0)", meta.constant.join(", ")]]
              : []),
            ...(meta.duplicates.length
              ? [
                  [
                    "duplicate columns (kept)",
                    meta.duplicates.map(([a, b]) => `${a} = ${b}`).join(", "),
                  ],
                ]
              : []),
            ...(response.note ? [["binomial event", response.note]] : []),
            ...(meta.droppedRows.length
              ? [["rows dropped (missing)", String(meta.droppedRows.length)]]
              : []),
          ],
        ),
      },
      {
        heading: "The selected model",
        html: htmlTable(header, rows),
        charts: [
          coefficientBarChart(
            selRows,
            K === 1
              ? `Selected coefficients at λ_${o.select}`
              : `Selected features at λ_${o.select} (norm across ${across})`,
            K === 1 ? "Coefficient (original scale)" : `‖coefficients across ${across}‖₂`,
          ),
        ],
      },
      { heading: "Regularization path", charts },
      {
        heading: "Cross-validation",
        charts: [
          cvCurveChart(
            curve.lambda,
            curve.cvm,
            curve.cvsd,
            curve.nzero,
            MEASURE_TITLES[curve.measure],
            marks,
            ridgeCv
              ? [
                  { name: "leave-one-out (exact)", values: ridgeCv.loo },
                  { name: "GCV (exact)", values: ridgeCv.gcv },
                ]
              : [],
          ),
        ],
      },
    ];
    if (assessment) sections.push(assessmentSection(assessment, o.select));
    if (cox)
      sections.push({
        heading: "Survival",
        html: `<p>Harrell's C of the selected model's risk score on the training rows: <b>${cox.cIndex.toFixed(3)}</b> (0.5 is chance). ${cox.base.strata ? `Strata: ${escapeHtml(cox.base.strata.join(", "))} (a baseline hazard each). ` : ""}Baseline hazard: ${cox.base.ties === "efron" ? "Efron's" : "Breslow's"} estimator.</p>`,
        charts: [survivalChart(cox.groups, `${meta.target} (survival time)`)],
      });
    if (stab)
      sections.push({
        heading: "Stability selection",
        html: `<p>${pairs} complementary pairs of half-samples (Shah &amp; Samworth 2013); stable set at π = ${threshold}: <b>${escapeHtml([...stableSet].map((j) => features[j]).join(", ") || "(empty)")}</b>; expected number of false selections ≤ ${stab.falseSelectionBound.toFixed(2)} (Meinshausen &amp; Bühlmann 2010).</p>`,
        charts: [
          stabilityChart(
            stab.lambda,
            features,
            stab.probability,
            stableSet,
            threshold,
            stab.lastIndex,
          ),
        ],
      });
    if (why)
      sections.push({
        heading: "Why each weight is zero or not",
        html: `<p>At the optimum, a zero weight's gradient |∂f/∂βⱼ| stays inside the dead zone [−λα·pfⱼ, λα·pfⱼ] of the L1 penalty's subdifferential; a non-zero weight's gradient balances the penalty exactly. Largest KKT violation: ${why.kktMax.toExponential(2)}.</p>`,
        charts: [
          deadZoneChart(
            why.features.map((e) => ({
              feature: features[e.index],
              gradient: e.gradient,
              threshold: e.threshold,
              status: e.status,
            })),
            lambdaSel,
          ),
        ],
      });
    const html = await renderReport(
      `regularize: ${penalty} on ${meta.target}`,
      `Generated by regularize from <code>${escapeHtml(file)}</code>.`,
      sections,
    );
    outputs.file("--report", o.report, html);
    outputs.print(`report written to ${o.report}\n`);
  }
  outputs.commit();
}

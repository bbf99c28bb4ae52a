import type { TopLevelSpec } from "vega-lite";

/** A chart for a report: an id, a title and a Vega-Lite specification. */
export interface Chart {
  id: string;
  title: string;
  caption: string;
  spec: TopLevelSpec;
}

const WIDTH = 640;
const HEIGHT = 320;
const base = {
  $schema: "https://vega.github.io/schema/vega-lite/v5.json",
  width: WIDTH,
  height: HEIGHT,
  config: {
    font: "Helvetica, Arial, sans-serif",
    axis: { labelFontSize: 12, titleFontSize: 13, grid: true, gridColor: "#eee" },
    title: { fontSize: 15, anchor: "start" as const, offset: 12 },
    legend: { labelFontSize: 12, titleFontSize: 12, labelLimit: 220 },
    view: { stroke: "#ccc" },
  },
};
const log10 = (v: number) => Math.log10(v);
/** The x axis of every chart over the path: log10 λ, largest on the left as glmnet plots. */
const LOG_LAMBDA_X = {
  field: "x",
  type: "quantitative" as const,
  title: "log₁₀ λ (penalty strength; weaker to the right)",
  scale: { reverse: true, zero: false },
};

/** Renders a chart to a standalone SVG string (Vega in Node, no canvas). */
export async function renderSvg(chart: Chart): Promise<string> {
  // Vega-Lite's and Vega's warnings about harmless spec details are not the user's concern.
  const quiet = {
    level: () => quiet,
    error: () => quiet,
    warn: () => quiet,
    info: () => quiet,
    debug: () => quiet,
  };
  // Loaded on first use: the commands that write no report do not pay for Vega.
  const [vega, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
  const compiled = compile(chart.spec, { logger: quiet as never }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logLevel: vega.Error });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Vertical rules with labels at λ_min and λ_1se (x in log10 λ). */
function lambdaRules(marks: { label: string; lambda: number }[]) {
  const values = marks.map((m) => ({ x: log10(m.lambda), label: m.label }));
  return [
    {
      data: { values },
      mark: { type: "rule" as const, strokeDash: [5, 4], color: "#555" },
      encoding: { x: { field: "x", type: "quantitative" as const } },
    },
    {
      data: { values },
      mark: {
        type: "text" as const,
        align: "left" as const,
        dx: 4,
        dy: -6,
        fontSize: 12,
        color: "#333",
        angle: 0,
      },
      encoding: {
        x: { field: "x", type: "quantitative" as const },
        y: { value: 10 },
        text: { field: "label", type: "nominal" as const },
      },
    },
  ];
}

/** The most lines a coefficient-path chart draws, and the most bars a coefficient chart. */
export const MAX_PATH_LINES = 60;
export const MAX_BARS = 60;

/**
 * Coefficient paths: one line per feature against log10 λ (largest λ on the left, as glmnet
 * plots), the features largest at the end of the path labelled by name.
 */
export function coefficientPathChart(
  lambda: ArrayLike<number>,
  features: string[],
  coef: (k: number) => Float64Array,
  marks: { label: string; lambda: number }[],
  yTitle = "Coefficient (original scale)",
): Chart {
  const L = lambda.length;
  const values: { x: number; y: number; f: string }[] = [];
  const coefs = Array.from({ length: L }, (_, k) => coef(k));
  // Every feature of a narrow design; of a wider one, every feature that is ever non-zero, up to
  // MAX_PATH_LINES: those entering first (a line per feature of a text-sized design would make a
  // chart nobody can read, and a page nobody can load: 50 000 flat lines made a 34 MB report).
  const entry = features.map((_, j) => coefs.findIndex((b) => b[j] !== 0));
  const last = coefs[L - 1];
  const ever = features.map((_, j) => j).filter((j) => entry[j] >= 0);
  const drawn =
    features.length <= MAX_PATH_LINES
      ? features.map((_, j) => j)
      : ever
          .sort((a, b) => entry[a] - entry[b] || Math.abs(last[b]) - Math.abs(last[a]))
          .slice(0, MAX_PATH_LINES)
          .sort((a, b) => a - b);
  for (let k = 0; k < L; k++) {
    const b = coefs[k];
    for (const j of drawn) values.push({ x: log10(lambda[k]), y: b[j], f: features[j] });
  }
  const top = drawn
    .map((j) => ({ f: features[j], v: Math.abs(last[j]), y: last[j] }))
    .filter((t) => t.v > 0)
    .sort((a, b) => b.v - a.v)
    .slice(0, 12);
  // Labels at the end of the path, skipping any that would sit on top of a placed one.
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v.y);
    hi = Math.max(hi, v.y);
  }
  const gap = 0.045 * (hi - lo || 1);
  const placed: number[] = [];
  const labels = top
    .filter((t) => {
      if (placed.some((y) => Math.abs(y - t.y) < gap)) return false;
      placed.push(t.y);
      return true;
    })
    .map((t) => ({ x: log10(lambda[L - 1]), y: t.y, f: t.f }));
  const many = drawn.length > 12;
  const capped =
    ever.length > MAX_PATH_LINES
      ? ` ${ever.length} of the ${features.length} features are non-zero somewhere on the path; the ${MAX_PATH_LINES} that enter first are drawn.`
      : "";
  return {
    id: "paths",
    title: "Coefficient paths",
    caption: `Each line is one feature's coefficient as λ decreases from left to right (log₁₀ scale). Dashed lines: λ chosen by cross-validation. ${many ? "The 12 largest features at the end of the path are labelled." : ""}${capped}`,
    spec: {
      ...base,
      title: "Coefficient paths",
      layer: [
        {
          data: { values },
          mark: { type: "line", strokeWidth: 1.5 },
          encoding: {
            x: LOG_LAMBDA_X,
            y: { field: "y", type: "quantitative", title: yTitle },
            color: {
              field: "f",
              type: "nominal",
              title: "feature",
              legend: many ? null : { orient: "right" },
              scale: { scheme: many ? "category20" : "tableau10" },
            },
            detail: { field: "f" },
          },
        },
        {
          data: { values: labels },
          mark: { type: "text", align: "left", dx: 5, fontSize: 11 },
          encoding: {
            x: { field: "x", type: "quantitative" },
            y: { field: "y", type: "quantitative" },
            text: { field: "f", type: "nominal" },
          },
        },
        ...lambdaRules(marks),
      ],
    } as TopLevelSpec,
  };
}

/** The cross-validation curve with ±1 SE bars, λ_min / λ_1se marked and non-zero counts on top. */
export function cvCurveChart(
  lambda: ArrayLike<number>,
  cvm: ArrayLike<number>,
  cvsd: ArrayLike<number>,
  nzero: ArrayLike<number>,
  measureTitle: string,
  marks: { label: string; lambda: number }[],
  lines: { name: string; values: ArrayLike<number> }[] = [],
): Chart {
  const L = lambda.length;
  const lineValues = lines.flatMap((l) =>
    Array.from({ length: L }, (_, k) => ({ x: log10(lambda[k]), y: l.values[k], curve: l.name })),
  );
  const values = Array.from({ length: L }, (_, k) => ({
    x: log10(lambda[k]),
    y: cvm[k],
    lo: cvm[k] - cvsd[k],
    hi: cvm[k] + cvsd[k],
  }));
  const step = Math.max(1, Math.round(L / 12));
  const counts = Array.from({ length: L }, (_, k) => k)
    .filter((k) => k % step === 0)
    .map((k) => ({ x: log10(lambda[k]), n: String(nzero[k]) }));
  return {
    id: "cv",
    title: "Cross-validation curve",
    caption:
      "Mean held-out error over the folds at each λ, with ±1 standard error; the numbers on top are the non-zero coefficients of the full-data fit." +
      (lines.length
        ? ` Lines: ${lines.map((l) => l.name).join(" and ")}, computed at the same λ without refitting.`
        : ""),
    spec: {
      ...base,
      title: { text: "Cross-validation curve", subtitle: "numbers on top: non-zero coefficients" },
      layer: [
        {
          data: { values },
          mark: { type: "rule", color: "#9aa" },
          encoding: {
            x: LOG_LAMBDA_X,
            y: { field: "lo", type: "quantitative", title: measureTitle, scale: { zero: false } },
            y2: { field: "hi" },
          },
        },
        {
          data: { values },
          mark: { type: "point", filled: true, color: "#c0392b", size: 30 },
          encoding: {
            x: { field: "x", type: "quantitative" },
            y: { field: "y", type: "quantitative" },
          },
        },
        {
          data: { values: counts },
          mark: { type: "text", fontSize: 11, color: "#444" },
          encoding: {
            x: { field: "x", type: "quantitative" },
            y: { value: -6 },
            text: { field: "n", type: "nominal" },
          },
        },
        ...(lines.length
          ? [
              {
                data: { values: lineValues },
                mark: { type: "line", strokeWidth: 1.5 },
                encoding: {
                  x: { field: "x", type: "quantitative" },
                  y: { field: "y", type: "quantitative" },
                  color: {
                    field: "curve",
                    type: "nominal",
                    title: null,
                    scale: { range: ["#2c7fb8", "#7fbc41"] },
                    legend: { orient: "top-left" },
                  },
                },
              },
            ]
          : []),
        ...lambdaRules(marks),
      ],
    } as TopLevelSpec,
  };
}

/** Horizontal bars of the selected model's coefficients (non-zero ones), largest first. */
export function coefficientBarChart(
  rows: { feature: string; value: number }[],
  title: string,
  xTitle = "Coefficient (original scale)",
): Chart {
  const nonzero = rows.filter((r) => r.value !== 0);
  const values =
    nonzero.length > MAX_BARS
      ? [...nonzero].sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).slice(0, MAX_BARS)
      : nonzero;
  return {
    id: "selected",
    title,
    caption: `The non-zero coefficients of the selected model, on the features' original scale.${nonzero.length > MAX_BARS ? ` The ${MAX_BARS} largest in magnitude of ${nonzero.length} are drawn.` : ""}`,
    spec: {
      ...base,
      height: Math.max(60, 18 * values.length),
      title,
      data: { values },
      mark: { type: "bar" },
      encoding: {
        y: {
          field: "feature",
          type: "nominal",
          sort: { field: "value", op: "max", order: "descending" },
          title: null,
          axis: { labelLimit: 260 },
        },
        x: { field: "value", type: "quantitative", title: xTitle },
        color: {
          condition: { test: "datum.value < 0", value: "#c0392b" },
          value: "#2e86c1",
        },
      },
    } as TopLevelSpec,
  };
}

/** Stability paths: selection probability of each feature against log10 λ, the threshold π. */
export function stabilityChart(
  lambda: ArrayLike<number>,
  features: string[],
  probability: ArrayLike<number>[],
  stable: Set<number>,
  threshold: number,
  lastIndex = lambda.length - 1,
): Chart {
  const values: { x: number; y: number; f: string; stable: string }[] = [];
  for (let k = 0; k < lambda.length; k++)
    features.forEach((f, j) =>
      values.push({
        x: log10(lambda[k]),
        y: probability[k][j],
        f,
        stable: stable.has(j) ? "stable" : "not stable",
      }),
    );
  // Each stable feature is labelled where its path first reaches π (left to right).
  const labels = [...stable].map((j) => {
    let k = 0;
    while (k < lastIndex && probability[k][j] < threshold) k++;
    return { x: log10(lambda[k]), y: probability[k][j], f: features[j] };
  });
  const end = [{ lambda: lambda[lastIndex], label: "end of Λ" }];
  return {
    id: "stability",
    title: "Stability paths",
    caption: `Selection probability of each feature over subsamples; features reaching π = ${threshold} (dashed) within Λ (λ down to the rule "end of Λ") form the stable set (red, labelled).`,
    spec: {
      ...base,
      title: "Stability paths",
      layer: [
        {
          data: { values },
          mark: { type: "line", strokeWidth: 1.4 },
          encoding: {
            x: LOG_LAMBDA_X,
            y: {
              field: "y",
              type: "quantitative",
              title: "Selection probability",
              scale: { domain: [0, 1] },
            },
            color: {
              field: "stable",
              type: "nominal",
              title: null,
              scale: { domain: ["stable", "not stable"], range: ["#c0392b", "#bbb"] },
            },
            detail: { field: "f" },
          },
        },
        {
          data: { values: [{ y: threshold }] },
          mark: { type: "rule", strokeDash: [5, 4], color: "#333" },
          encoding: { y: { field: "y", type: "quantitative" } },
        },
        {
          data: { values: labels },
          mark: { type: "text", align: "right", dx: -6, dy: -4, fontSize: 11, color: "#c0392b" },
          encoding: {
            x: { field: "x", type: "quantitative" },
            y: { field: "y", type: "quantitative" },
            text: { field: "f", type: "nominal" },
          },
        },
        ...lambdaRules(end),
      ],
    } as TopLevelSpec,
  };
}

/**
 * The sparsity explanation: |∂f/∂βⱼ| per feature against the dead-zone threshold λ·α·pfⱼ. Zero
 * weights sit below their threshold (the margin keeps them at zero); active ones reach it.
 */
export function deadZoneChart(
  rows: { feature: string; gradient: number; threshold: number; status: string }[],
  lambda: number,
): Chart {
  // On wide designs: the non-zero weights listed first and the zero ones nearest their threshold,
  // half of MAX_BARS each.
  const many = rows.length > MAX_BARS;
  const shown = many
    ? [
        ...rows.filter((r) => r.status === "active").slice(0, MAX_BARS / 2),
        ...rows
          .filter((r) => r.status !== "active")
          .sort(
            (a, b) =>
              Math.abs(b.gradient) / (b.threshold || 1) - Math.abs(a.gradient) / (a.threshold || 1),
          )
          .slice(0, MAX_BARS / 2),
      ]
    : rows;
  const values = shown.map((r) => ({
    feature: r.feature,
    g: Math.abs(r.gradient),
    t: r.threshold,
    status:
      r.status === "active"
        ? "non-zero (balances the penalty)"
        : r.status === "zero"
          ? "zero (inside the dead zone)"
          : "borderline",
  }));
  return {
    id: "deadzone",
    title: "Why each weight is zero or not",
    caption: `At the selected λ = ${lambda.toPrecision(4)}: the bar is |∂f/∂βⱼ| at the solution, the tick the threshold λ·α·pfⱼ. A zero weight stays zero while its bar is below the tick (the dead zone of the L1 penalty); a non-zero weight's bar reaches it exactly.${many ? ` Of the ${rows.length} features, ${values.length} are drawn: non-zero weights, and the zero weights nearest their threshold.` : ""}`,
    spec: {
      ...base,
      height: Math.max(60, 18 * values.length),
      title: "Why each weight is zero or not (dead-zone margins)",
      data: { values },
      layer: [
        {
          mark: { type: "bar" },
          encoding: {
            y: {
              field: "feature",
              type: "nominal",
              sort: "-x",
              title: null,
              axis: { labelLimit: 260 },
            },
            x: {
              field: "g",
              type: "quantitative",
              title: "|∂f/∂βⱼ| at the solution (standardized scale)",
            },
            color: {
              field: "status",
              type: "nominal",
              title: null,
              scale: {
                domain: [
                  "non-zero (balances the penalty)",
                  "zero (inside the dead zone)",
                  "borderline",
                ],
                range: ["#2e86c1", "#bbb", "#e67e22"],
              },
            },
          },
        },
        {
          mark: { type: "tick", color: "#000", thickness: 2 },
          encoding: {
            y: { field: "feature", type: "nominal", sort: "-x" },
            x: { field: "t", type: "quantitative" },
          },
        },
      ],
    } as TopLevelSpec,
  };
}

/** Lines of named series against the epoch (training reports). */
export function epochChart(
  id: string,
  title: string,
  yTitle: string,
  series: { name: string; values: (number | null)[] }[],
  caption: string,
): Chart {
  const values = series.flatMap((s) =>
    s.values.flatMap((v, e) => (v === null ? [] : [{ epoch: e + 1, y: v, s: s.name }])),
  );
  return {
    id,
    title,
    caption,
    spec: {
      ...base,
      title,
      data: { values },
      mark: { type: "line", point: values.length < 120 },
      encoding: {
        x: {
          field: "epoch",
          type: "quantitative",
          title: "Epoch",
          axis: { tickMinStep: 1, format: "d" },
        },
        y: { field: "y", type: "quantitative", title: yTitle, scale: { zero: id === "zeros" } },
        color: { field: "s", type: "nominal", title: null },
      },
    } as TopLevelSpec,
  };
}

/** Weight histograms, one panel per layer. */
export function histogramChart(
  layers: { name: string; edges: number[]; counts: number[] }[],
): Chart {
  const values = layers.flatMap((l) =>
    l.counts.map((c, b) => ({ layer: l.name, x0: l.edges[b], x1: l.edges[b + 1], count: c })),
  );
  return {
    id: "histograms",
    title: "Weight histograms",
    caption: "Distribution of each Dense layer's weights at the end of training.",
    spec: {
      $schema: base.$schema,
      config: base.config,
      title: "Weight histograms per layer (final weights)",
      data: { values },
      facet: { field: "layer", type: "nominal", title: null },
      columns: 3,
      resolve: { scale: { x: "independent", y: "independent" } },
      spec: {
        width: 200,
        height: 150,
        mark: { type: "rect", color: "#2e86c1" },
        encoding: {
          x: { field: "x0", type: "quantitative", title: "Weight value" },
          x2: { field: "x1" },
          y: { field: "count", type: "quantitative", title: "Count" },
        },
      },
    } as TopLevelSpec,
  };
}

/**
 * Kaplan–Meier curves of groups of the data (solid steps) next to the model's predicted survival
 * for the same groups (dashed: the mean of S(t | xᵢ) over the group's rows).
 */
export function survivalChart(
  groups: {
    label: string;
    km: { times: ArrayLike<number>; surv: ArrayLike<number> };
    model: { times: ArrayLike<number>; surv: ArrayLike<number> };
  }[],
  timeTitle: string,
): Chart {
  const values: { t: number; s: number; g: string; kind: string }[] = [];
  for (const g of groups) {
    const kinds = [
      ["Kaplan–Meier (data)", g.km],
      ["model", g.model],
    ] as const;
    for (const [kind, c] of kinds) {
      values.push({ t: 0, s: 1, g: g.label, kind });
      for (let k = 0; k < c.times.length; k++)
        values.push({ t: c.times[k], s: c.surv[k], g: g.label, kind });
    }
  }
  return {
    id: "survival",
    title: "Survival by predicted risk",
    caption:
      "The rows split into tertiles of the model's linear predictor (its risk score): each group's Kaplan–Meier curve (solid steps) and the model's predicted survival for the same rows (dashed, the mean of S(t | x) over the group). Separated curves mean the model ranks risk; dashed close to solid means it is calibrated.",
    spec: {
      ...base,
      title: "Survival by predicted risk tertile",
      data: { values },
      mark: { type: "line", interpolate: "step-after", strokeWidth: 2 },
      encoding: {
        x: { field: "t", type: "quantitative", title: timeTitle },
        y: {
          field: "s",
          type: "quantitative",
          title: "Survival probability",
          scale: { domain: [0, 1] },
        },
        color: {
          field: "g",
          type: "nominal",
          title: "predicted risk",
          sort: groups.map((g) => g.label),
          scale: { range: ["#2e7d32", "#f39c12", "#c0392b"] },
        },
        strokeDash: { field: "kind", type: "nominal", title: "curve" },
        detail: [{ field: "g" }, { field: "kind" }],
      },
    } as TopLevelSpec,
  };
}

/**
 * The ROC curve of a binomial model's scores (roc.glmnet): true against false positive rate, one
 * point per distinct score, with the chance diagonal and the area under the curve in the title.
 */
export function rocChart(
  roc: { fpr: ArrayLike<number>; tpr: ArrayLike<number> },
  auc: number,
): Chart {
  const values = Array.from(roc.fpr, (f, k) => ({ fpr: f, tpr: roc.tpr[k] }));
  const title = `ROC curve (AUC ${auc.toFixed(3)})`;
  return {
    id: "roc",
    title,
    caption:
      "Each point is one threshold on the predicted probability: the share of events scored above it (true positive rate) against the share of non-events (false positive rate). The diagonal is chance; the area under the curve is the probability that a random event outranks a random non-event.",
    spec: {
      ...base,
      width: 320,
      height: 320,
      title,
      layer: [
        {
          data: {
            values: [
              { fpr: 0, tpr: 0 },
              { fpr: 1, tpr: 1 },
            ],
          },
          mark: { type: "line", strokeDash: [4, 4], color: "#999" },
          encoding: {
            x: { field: "fpr", type: "quantitative" },
            y: { field: "tpr", type: "quantitative" },
          },
        },
        {
          data: { values },
          mark: { type: "line", interpolate: "step-after", strokeWidth: 2, color: "#2e86c1" },
          encoding: {
            x: {
              field: "fpr",
              type: "quantitative",
              title: "False positive rate",
              scale: { domain: [0, 1] },
            },
            y: {
              field: "tpr",
              type: "quantitative",
              title: "True positive rate",
              scale: { domain: [0, 1] },
            },
          },
        },
      ],
    } as TopLevelSpec,
  };
}

/** `regularize fit --report`: the self-contained HTML report of a run. */
import type { Assessment } from "../../model/assess.js";
import {
  coefficientBarChart,
  coefficientPathChart,
  cvCurveChart,
  deadZoneChart,
  rocChart,
  stabilityChart,
  survivalChart,
  type Chart,
} from "../../report/charts.js";
import { escapeHtml, htmlTable, renderReport, type ReportSection } from "../../report/html.js";
import type { Measure } from "../../cv/measures.js";
import type { coxView } from "./model.js";
import { featureTable } from "./terminal.js";
import { fitOptionNotes, fmt, MEASURE_TITLES, type FitRun } from "./result.js";

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

/** The report's HTML: data and model, the selected model, path, CV curve and the rest. */
export async function fitReport(
  r: FitRun,
  assessment: Assessment | undefined,
  cox: ReturnType<typeof coxView> | undefined,
): Promise<string> {
  const { family, penalty, alpha, file, meta, n, p, o, curve, fit, k, lambdaSel, coef } = r;
  const { features, response, ridgeCv, stab, why } = r;
  const { seed, stability: pairs, threshold } = o;
  const { K, nonzero, stableSet, header, rows } = featureTable(r);
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
          ...(o.features !== undefined ? [["feature columns (--features)", o.features]] : []),
          ...(o.ignore !== undefined ? [["columns left out (--ignore)", o.ignore]] : []),
          ["family", family],
          ["penalty", `${penalty} (α = ${alpha})`],
          [
            "cross-validation",
            `${r.nFolds} folds${r.foldSource ? ` (${r.foldSource})` : `, seed ${seed}`}, measure ${curve.measure}`,
          ],
          ["selected", `λ_${o.select} = ${fmt(lambdaSel)} (${nonzero} of ${p} features non-zero)`],
          ["optimality (KKT violation)", fit.kktMax[k].toExponential(2)],
          ...(fitOptionNotes(o).length ? [["fit options", fitOptionNotes(o).join("; ")]] : []),
          ...(fit.warnings.length
            ? [["path warnings", `${fit.warnings.length} (listed at the end)`]]
            : []),
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
  if (fit.warnings.length)
    sections.push({
      heading: "Path warnings",
      html: `<p>Points of the path the solver did not certify to its tolerance, and other notes on the path (the selected point's own KKT violation is in the first table):</p><ul>${fit.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("")}</ul>`,
    });
  return renderReport(
    `regularize: ${penalty} on ${meta.target}`,
    `Generated by regularize from <code>${escapeHtml(file)}</code>.`,
    sections,
  );
}

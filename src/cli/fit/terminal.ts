/** `regularize fit`'s terminal output: the summary lines and the table of features. */
import { alignTable } from "../format.js";
import { fmt, type FitRun } from "./result.js";

/**
 * The table of features at the selected λ, largest first: the coefficient (or one per class or
 * response), the selection probability with stability selection, and why it is zero or not.
 */
export function featureTable(r: FitRun) {
  const { coef, features, stab, why, p, d, response } = r;
  const K = coef.length;
  const order = features
    .map((f, j) => ({ f, j, v: Math.max(...coef.map((b) => Math.abs(b[j]))) }))
    .sort((a, b) => b.v - a.v || a.j - b.j);
  const nonzero = order.filter((r) => r.v !== 0).length;
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
            e.limit
              ? `held at its ${e.limit} limit`
              : e.status === "active"
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
  return { K, order, nonzero, stableSet, shown, header, rows };
}

/** The summary lines and the table, coloured on a terminal (not with NO_COLOR). */
export function terminalText(r: FitRun): string {
  const { title, penalty, family, file, meta, n, p, o, curve, lambdaSel, fit, k, ridgeCv } = r;
  const { stab, features, response, d } = r;
  const targets = d?.responses
    ? `targets ${d.responses.names.map((t) => `'${t}'`).join(", ")}`
    : `target '${meta.target}'`;
  const { stability: pairs, threshold } = o;
  const { nonzero, stableSet, shown, header, rows } = featureTable(r);
  const out: string[] = [];
  out.push(
    `${title ?? `${penalty} (${family}) on ${file}`}: ${targets}, ${n} rows, ${p} features${meta.dropped.length ? ` (dropped as constant or duplicate: ${meta.dropped.slice(0, 6).join(", ")}${meta.dropped.length > 6 ? ", …" : ""})` : ""}`,
  );
  out.push(
    `${r.nFolds}-fold cross-validation (${curve.measure}${r.foldSource ? `, folds from ${r.foldSource}` : ""}): λ_min = ${fmt(curve.lambda[curve.indexMin])} (${fmt(curve.cvm[curve.indexMin])} ± ${fmt(curve.cvsd[curve.indexMin])}), λ_1se = ${fmt(curve.lambda[curve.index1se])} (${fmt(curve.cvm[curve.index1se])}); selected λ_${o.select} = ${fmt(lambdaSel)}: ${nonzero} of ${p} features non-zero, KKT ${fit.kktMax[k].toExponential(1)}`,
  );
  if (ridgeCv)
    out.push(
      `exact ridge path (one tridiagonalization): leave-one-out λ = ${fmt(ridgeCv.lambdaLoo)} (mse ${fmt(Math.min(...ridgeCv.loo))}), GCV λ = ${fmt(ridgeCv.lambdaGcv)} (mse ${fmt(Math.min(...ridgeCv.gcv))})`,
    );
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
  return out.join("\n") + "\n";
}

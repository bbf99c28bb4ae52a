import type { GlmFamily } from "./family.js";

/**
 * A start for the intercept-only fit with offsets: exact for Poisson, log(Σŵy / Σŵe^offset);
 * for other families g(Σŵy) minus the weighted mean offset.
 */
export function interceptStart(
  fam: GlmFamily,
  y: Float64Array,
  w: Float64Array,
  offset: Float64Array,
): number {
  let ym = 0;
  let om = 0;
  let eo = 0;
  for (let i = 0; i < y.length; i++) {
    ym += w[i] * y[i];
    om += w[i] * offset[i];
    eo += w[i] * Math.exp(offset[i]);
  }
  return fam.name === "poisson" ? Math.log(ym / eo) : fam.link(ym) - om;
}

/** Deviance of the null model: η = b0 + offset with b0 the intercept-only MLE (0 without one). */
export function nullModelDeviance(
  fam: GlmFamily,
  y: Float64Array,
  w: Float64Array,
  offset: Float64Array,
  intercept: boolean,
): number {
  const n = y.length;
  let b0 = 0;
  if (intercept) {
    b0 = interceptStart(fam, y, w, offset);
    {
      // Newton on b0 alone.
      for (let it = 0; it < 100; it++) {
        let gr = 0;
        let h = 0;
        for (let i = 0; i < n; i++) {
          const mu = fam.mean(b0 + offset[i]);
          gr += w[i] * (y[i] - mu);
          h += w[i] * fam.variance(mu);
        }
        const d = gr / h;
        b0 += d;
        if (Math.abs(d) < 1e-13 * (1 + Math.abs(b0))) break;
      }
    }
  }
  let dev = 0;
  for (let i = 0; i < n; i++) dev += w[i] * fam.deviance(y[i], fam.mean(b0 + offset[i]));
  return dev;
}

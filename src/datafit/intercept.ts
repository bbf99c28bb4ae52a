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

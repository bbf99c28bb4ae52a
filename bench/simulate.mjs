// The Friedman, Hastie & Tibshirani (2010, §5.1) design shared by the benchmarks: n × p Gaussian
// features with every pair correlated ρ (a shared factor), β_j = (−1)^j exp(−2(j−1)/20), and the
// linear predictor η = Xβ. Draws from `rng` in a fixed order (features first).
export function fhtFeatures(n, p, rho, rng) {
  const x = new Float64Array(n * p);
  const shared = Float64Array.from({ length: n }, () => rng.normal());
  const a = Math.sqrt(1 - rho);
  const b = Math.sqrt(rho);
  for (let j = 0; j < p; j++)
    for (let i = 0; i < n; i++) x[j * n + i] = a * rng.normal() + b * shared[i];
  const beta = Float64Array.from(
    { length: p },
    (_, j) => (j % 2 === 0 ? -1 : 1) * Math.exp((-2 * j) / 20),
  );
  const eta = new Float64Array(n);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) eta[i] += beta[j] * x[j * n + i];
  return { x, beta, eta };
}

/**
 * Link functions g(μ) = η of generalized linear models (McCullagh & Nelder 1989, §2.2.4; R's
 * `make.link`): the inverse link μ = g⁻¹(η), its derivative dμ/dη, and the linear predictors each
 * link allows (`validEta`).
 */
export interface Link {
  readonly name: LinkName;
  link(mu: number): number;
  inverse(eta: number): number;
  /** dμ/dη at η. */
  derivative(eta: number): number;
  /** d²μ/dη² at η. */
  second(eta: number): number;
  validEta(eta: number): boolean;
}

export type LinkName =
  "identity" | "log" | "inverse" | "inverse-squared" | "logit" | "probit" | "cloglog" | "sqrt";

const SQRT_2PI = Math.sqrt(2 * Math.PI);
/** The standard normal density. */
export const normalDensity = (x: number): number => Math.exp(-0.5 * x * x) / SQRT_2PI;

/**
 * The standard normal distribution function Φ(x) to about 1e-15 relative: Marsaglia's series
 * Φ(x) = ½ + φ(x)Σ x^{2k+1}/(2k+1)!! for |x| < 2.5, and the Laplace continued fraction of the
 * Mills ratio, Q(x) = φ(x)/(x + 1/(x + 2/(x + …))) by Lentz's method, in the tails.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) < 2.5) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let k = 1; k < 200; k++) {
      term *= x2 / (2 * k + 1);
      sum += term;
      if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
    }
    return 0.5 + normalDensity(x) * sum;
  }
  const z = Math.abs(x);
  // Lentz: f = b0 + a1/(b1 + a2/(b2 + …)) with b_k = z, a_k = k.
  const tiny = 1e-300;
  let f = z;
  let C = z;
  let D = 0;
  for (let k = 1; k < 500; k++) {
    D = z + k * D;
    D = D === 0 ? tiny : 1 / D;
    C = z + k / C;
    if (C === 0) C = tiny;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const q = normalDensity(z) / f;
  return x > 0 ? 1 - q : q;
}

/** Bounds keeping binomial means inside (0, 1), as R's binomial links do (their ε). */
const EPS = 2.220446049250313e-16;
/** −Φ⁻¹(ε): R's probit keeps η within ±8.125890664701906. */
const PROBIT_BOUND = 8.125890664701906;

export const LINKS: Record<LinkName, Link> = {
  identity: {
    name: "identity",
    link: (mu) => mu,
    inverse: (eta) => eta,
    derivative: () => 1,
    second: () => 0,
    validEta: () => true,
  },
  log: {
    name: "log",
    link: Math.log,
    inverse: (eta) => Math.max(Math.exp(eta), EPS),
    derivative: (eta) => Math.max(Math.exp(eta), EPS),
    second: (eta) => Math.max(Math.exp(eta), EPS),
    validEta: () => true,
  },
  inverse: {
    name: "inverse",
    link: (mu) => 1 / mu,
    inverse: (eta) => 1 / eta,
    derivative: (eta) => -1 / (eta * eta),
    second: (eta) => 2 / (eta * eta * eta),
    validEta: (eta) => eta !== 0 && Number.isFinite(eta),
  },
  "inverse-squared": {
    name: "inverse-squared",
    link: (mu) => 1 / (mu * mu),
    inverse: (eta) => 1 / Math.sqrt(eta),
    derivative: (eta) => -1 / (2 * eta ** 1.5),
    second: (eta) => 3 / (4 * eta ** 2.5),
    validEta: (eta) => eta > 0 && Number.isFinite(eta),
  },
  logit: {
    name: "logit",
    link: (mu) => Math.log(mu / (1 - mu)),
    inverse: (eta) => {
      const e = Math.min(Math.max(eta, -30), 30);
      return 1 / (1 + Math.exp(-e));
    },
    derivative: (eta) => {
      const e = Math.exp(-Math.abs(eta));
      return Math.max(e / ((1 + e) * (1 + e)), EPS);
    },
    second: (eta) => {
      const e = Math.min(Math.max(eta, -30), 30);
      const mu = 1 / (1 + Math.exp(-e));
      return mu * (1 - mu) * (1 - 2 * mu);
    },
    validEta: () => true,
  },
  probit: {
    name: "probit",
    link: (mu) => probitQuantile(mu),
    inverse: (eta) => {
      return normalCdf(Math.min(Math.max(eta, -PROBIT_BOUND), PROBIT_BOUND));
    },
    derivative: (eta) => Math.max(normalDensity(eta), EPS),
    second: (eta) => -eta * normalDensity(eta),
    validEta: () => true,
  },
  cloglog: {
    name: "cloglog",
    link: (mu) => Math.log(-Math.log(1 - mu)),
    inverse: (eta) => Math.max(Math.min(-Math.expm1(-Math.exp(eta)), 1 - EPS), EPS),
    derivative: (eta) => {
      const e = Math.min(eta, 700);
      return Math.max(Math.exp(e) * Math.exp(-Math.exp(e)), EPS);
    },
    second: (eta) => {
      const e = Math.min(eta, 700);
      return Math.exp(e) * Math.exp(-Math.exp(e)) * (1 - Math.exp(e));
    },
    validEta: () => true,
  },
  sqrt: {
    name: "sqrt",
    link: Math.sqrt,
    inverse: (eta) => eta * eta,
    derivative: (eta) => 2 * eta,
    second: () => 2,
    validEta: (eta) => eta > 0 && Number.isFinite(eta),
  },
};

/** Φ⁻¹(p) by Newton's method on normalCdf from a logistic start (used only for starts). */
function probitQuantile(p: number): number {
  let x = Math.log(p / (1 - p)) / 1.702;
  for (let it = 0; it < 50; it++) {
    const d = (normalCdf(x) - p) / Math.max(normalDensity(x), 1e-300);
    x -= d;
    if (Math.abs(d) < 1e-14 * (1 + Math.abs(x))) break;
  }
  return x;
}

// npm run bench:multiclass -- [--reps 3] [--quick] [--only CELL[:TYPE],...]   (also run by `npm run bench`)
//
// The multinomial paths (ungrouped and grouped) and the Poisson path against glmnet 4.1 in the
// same run, whole default paths (glmnet's defaults; ours at their defaults): the digits data
// (data/digits.csv, 1797 × 64, 10 classes; glmnet and we both skip its constant columns) and
// simulations with the shapes of the cells (846 × 18 with 4 classes, 6435 × 36 with 6
// classes, the sizes of the vehicle and satimage data; Poisson 5000 × 100). Each tool's objective
// is recomputed here from its reported coefficients at every common λ. glmnet's and our timed
// batches alternate, a rep each.
import { execFileSync, fork } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { denseMatrix, glmPath, multinomialPath, Random } from "../dist/index.js";
import { fhtFeatures } from "./simulate.mjs";
import { batch, median, warmUp } from "./timing.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, "out");
mkdirSync(OUT, { recursive: true });
const argv = process.argv.slice(2);
const value = (name, d) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : d);
const REPS = Number(value("--reps", "3"));
const QUICK = argv.includes("--quick");
// --only mn846x18k4:ungrouped,poisson5000x100: just those cells (and types).
const ONLY = value("--only", "")
  .split(",")
  .filter(Boolean)
  .map((s) => s.split(":"));

/** n × p features with pairwise correlation ρ, classes drawn from a sparse softmax model. */
function multinomialSim(n, p, K, seed) {
  const rng = new Random(seed);
  const { x } = fhtFeatures(n, p, 0.3, rng);
  const B = Array.from({ length: K }, () => new Float64Array(p));
  for (let c = 0; c < K; c++)
    for (let j = 0; j < p; j++) if (rng.uniform() < 0.4) B[c][j] = rng.normal() * 0.8;
  const y = new Float64Array(n);
  const e = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let c = 0; c < K; c++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += B[c][j] * x[j * n + i];
      e[c] = s;
      m = Math.max(m, s);
    }
    let t = 0;
    for (let c = 0; c < K; c++) t += e[c] = Math.exp(e[c] - m);
    let u = rng.uniform() * t;
    let c = 0;
    while (c < K - 1 && (u -= e[c]) > 0) c++;
    y[i] = c + 1;
  }
  return { x, y, n, p };
}
function poissonSim(n, p, seed) {
  const rng = new Random(seed);
  const { x, eta } = fhtFeatures(n, p, 0.3, rng);
  const y = Float64Array.from(eta, (v) => {
    const mu = Math.exp(0.25 * v);
    let k = 0;
    let t = Math.exp(-mu);
    let s = t;
    const u = rng.uniform();
    while (u > s && k < 1000) s += t *= mu / ++k;
    return k;
  });
  return { x, y, n, p };
}
function digits() {
  const lines = readFileSync(join(HERE, "..", "data", "digits.csv"), "utf8")
    .trim()
    .split("\n");
  const rows = lines.slice(1).map((l) => l.split(",").map(Number));
  const n = rows.length;
  const p = rows[0].length - 1;
  const x = new Float64Array(n * p);
  rows.forEach((r, i) => r.slice(0, p).forEach((v, j) => (x[j * n + i] = v)));
  return { x, y: Float64Array.from(rows, (r) => r[p] + 1), n, p };
}

const cells = [
  { name: "mn846x18k4", family: "multinomial", data: () => multinomialSim(846, 18, 4, 11) },
  { name: "digits", family: "multinomial", data: digits },
  { name: "poisson5000x100", family: "poisson", data: () => poissonSim(5000, 100, 13) },
];
if (!QUICK)
  cells.splice(1, 0, {
    name: "mn6435x36k6",
    family: "multinomial",
    data: () => multinomialSim(6435, 36, 6, 12),
  });

/**
 * glmnet's objective at one point from original-scale coefficients: the mean negative
 * log-likelihood plus λ Σⱼ sⱼ (|βⱼc| summed over classes, or ‖βⱼ·‖₂ when grouped).
 */
function objective(d, family, sd, lambda, point, grouped) {
  const { x, y, n, p } = d;
  const K = point.beta.length;
  const eta = Array.from({ length: K }, (_, c) => new Float64Array(n).fill(point.intercept[c]));
  const col = Array.from({ length: p }, () => new Float64Array(K));
  point.beta.forEach((b, c) =>
    b.index.forEach((j, t) => {
      const v = b.value[t];
      col[j][c] = v;
      for (let i = 0; i < n; i++) eta[c][i] += v * x[j * n + i];
    }),
  );
  let f = 0;
  for (let i = 0; i < n; i++) {
    if (family === "poisson") f += Math.exp(eta[0][i]) - y[i] * eta[0][i];
    else {
      let m = -Infinity;
      for (let c = 0; c < K; c++) m = Math.max(m, eta[c][i]);
      let s = 0;
      for (let c = 0; c < K; c++) s += Math.exp(eta[c][i] - m);
      f += m + Math.log(s) - eta[y[i] - 1][i];
    }
  }
  let pen = 0;
  for (let j = 0; j < p; j++) {
    let a = 0;
    for (let c = 0; c < K; c++) a += grouped ? col[j][c] ** 2 : Math.abs(col[j][c]);
    pen += sd[j] * (grouped ? Math.sqrt(a) : a);
  }
  return f / n + lambda * pen;
}
function ours(family, m, y, type) {
  if (family === "poisson") {
    const fit = glmPath("poisson", m, y);
    return {
      lambda: fit.lambda,
      points: Array.from(fit.lambda, (_, k) => ({
        intercept: [fit.intercept[k]],
        beta: [fit.beta[k]],
      })),
    };
  }
  const fit = multinomialPath(m, y, { typeMultinomial: type });
  return {
    lambda: fit.lambda,
    points: Array.from(fit.lambda, (_, k) => ({ intercept: fit.intercept[k], beta: fit.beta[k] })),
  };
}

// A child process times one (cell, type) of ours, a rep each time the parent asks: V8 optimizes
// code shared by the kinds of fits (ungrouped, grouped, Poisson) for what one process ran before,
// and one kind run before another slowed the second by up to half here; a user's process fitting
// one kind is what the table compares. Messages: { rep } → seconds; { fit } → its points.
const CHILD = argv.indexOf("--child");
if (CHILD >= 0) {
  const [name, type] = argv.slice(CHILD + 1, CHILD + 3);
  const cell = cells.find((c) => c.name === name);
  const d = cell.data();
  const m = denseMatrix(d.n, d.p, d.x);
  let fit;
  let warm = false;
  process.on("message", (msg) => {
    if (msg.rep !== undefined) {
      if (!warm) warmUp(() => ours(cell.family, m, d.y, type));
      warm = true;
      process.send({ seconds: batch(() => (fit = ours(cell.family, m, d.y, type)), 200) });
    } else if (msg.fit) process.send({ fit }, () => process.exit(0));
  });
} else main();

function ask(child, msg) {
  return new Promise((resolve) => {
    child.once("message", resolve);
    child.send(msg);
  });
}

async function main() {
  const rows = [];
  const wanted = (name, type) =>
    ONLY.length === 0 ||
    ONLY.some(([c, t]) => c === name && (type === undefined || t === undefined || t === type));
  for (const cell of cells) {
    if (!wanted(cell.name)) continue;
    const d = cell.data();
    writeFileSync(join(OUT, `${cell.name}.x.bin`), Buffer.from(d.x.buffer));
    writeFileSync(join(OUT, `${cell.name}.y.bin`), Buffer.from(d.y.buffer));
    const sd = new Float64Array(d.p);
    for (let j = 0; j < d.p; j++) {
      let mu = 0;
      for (let i = 0; i < d.n; i++) mu += d.x[j * d.n + i] / d.n;
      for (let i = 0; i < d.n; i++) sd[j] += (d.x[j * d.n + i] - mu) ** 2 / d.n;
      sd[j] = Math.sqrt(sd[j]);
    }
    // glmnet and ours alternate rep by rep (one R process a rep): both sides of a ratio then see
    // the same phase of this machine, whose speed drifts by a third over minutes.
    const types = (cell.family === "poisson" ? ["none"] : ["ungrouped", "grouped"]).filter((t) =>
      wanted(cell.name, t),
    );
    const glmnetSeconds = Object.fromEntries(types.map((t) => [t, []]));
    const ourSeconds = Object.fromEntries(types.map((t) => [t, []]));
    const kids = Object.fromEntries(
      types.map((t) => [
        t,
        fork(fileURLToPath(import.meta.url), ["--child", cell.name, t], {
          serialization: "advanced",
        }),
      ]),
    );
    const fits = {};
    let g;
    for (let r = 0; r < REPS; r++) {
      execFileSync(
        "Rscript",
        [
          join(HERE, "glmnet-multiclass.R"),
          OUT,
          "1",
          `${cell.name}:${cell.family}:${d.n}:${d.p}:${types.join(",")}`,
        ],
        { stdio: "inherit" },
      );
      g = JSON.parse(readFileSync(join(OUT, `${cell.name}.glmnet-multiclass.json`), "utf8"));
      for (const type of types) {
        glmnetSeconds[type].push(g[type].seconds[0]);
        ourSeconds[type].push((await ask(kids[type], { rep: r })).seconds);
      }
    }
    for (const type of types) fits[type] = (await ask(kids[type], { fit: true })).fit;
    for (const type of types) {
      const fit = fits[type];
      const times = ourSeconds[type];
      const G = g[type];
      const L = Math.min(fit.lambda.length, G.lambda.length);
      let excess = -Infinity;
      for (let k = 0; k < L; k++) {
        const a = objective(d, cell.family, sd, G.lambda[k], fit.points[k], type === "grouped");
        const b = objective(d, cell.family, sd, G.lambda[k], G.points[k], type === "grouped");
        excess = Math.max(excess, (a - b) / Math.abs(b));
      }
      const lambdaGap = Math.max(
        ...Array.from({ length: L }, (_, k) => Math.abs(fit.lambda[k] / G.lambda[k] - 1)),
      );
      const row = {
        cell: `${cell.name} ${type === "none" ? cell.family : type}`,
        regularize: median(times),
        glmnet: median(glmnetSeconds[type]),
        ratio: median(times) / median(glmnetSeconds[type]),
        points: { regularize: fit.lambda.length, glmnet: G.lambda.length },
        objectiveExcessVsGlmnet: excess,
        lambdaGap,
        glmnetWarning: G.warning || undefined,
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
  writeFileSync(join(OUT, "multiclass.json"), JSON.stringify(rows, null, 2));
  console.log("\n| cell | glmnet | regularize | ratio | points (ours/glmnet) | objective excess |");
  console.log("|---|---|---|---|---|---|");
  for (const r of rows)
    console.log(
      `| ${r.cell} | ${r.glmnet.toFixed(3)} s | ${r.regularize.toFixed(3)} s | ${r.ratio.toFixed(2)} × | ${r.points.regularize}/${r.points.glmnet} | ${r.objectiveExcessVsGlmnet.toExponential(1)} |`,
    );
}

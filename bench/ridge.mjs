// npm run bench:ridge -- [--reps 3] [--quick]   (also run by `npm run bench`)
// The exact ridge path (ridgePath: one Householder tridiagonalization, with leave-one-out and GCV errors)
// against glmnet 4.1's default α = 0 path and scikit-learn's RidgeCV (efficient leave-one-out,
// gcv_mode='auto') on the same data in the same run, and against our own coordinate-descent
// α = 0 path. Cells: the four shapes of issue 20 (--quick drops 2000 x 1000), features with pairwise
// correlation 0.5 (bench/simulate.mjs), y = Xβ + 3·noise, standardized. Each side timed over batches lasting
// >= 0.2 s; glmnet runs on each cell between two sets of our batches, and ours is the median of
// both sets. Also reported: the exact path's objective against glmnet's at glmnet's λ (relative; ≤ 0
// means at least as good), its KKT certificate, and the λ that leave-one-out picks, ours against
// RidgeCV's. ridgePath is timed as called by default (its large products split across the
// machine's cores) and with threads: 1; glmnet runs on one thread, scikit-learn's BLAS on all.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { denseMatrix, elasticNetPath, ridgePath } from "../dist/index.js";
import { Random } from "../dist/random.js";
import { defaultThreads } from "../dist/wasm/threads.js";
import { fhtFeatures } from "./simulate.mjs";
import { batch, ensureReferences, median, repsArg, warmUp } from "./timing.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, "out");
mkdirSync(OUT, { recursive: true });
const REPS = repsArg();
/** The threads ridgePath uses by default here (the cores, in Node's main thread). */
const THREADS = defaultThreads();
const QUICK = process.argv.includes("--quick");
const CELLS = ["500x200", "1000x500", "2000x1000", "300x3000"].filter(
  (c) => !(QUICK && c === "2000x1000"),
);

ensureReferences();
const data = {};
const rows = [];
CELLS.forEach((cell, c) => {
  const [n, p] = cell.split("x").map(Number);
  const rng = new Random(300 + c);
  const { x, eta } = fhtFeatures(n, p, 0.5, rng);
  // y standardized (population sd): glmnet's Gaussian fits divide y by its sd, which rescales
  // the ridge part of the penalty by that sd; with sd 1 both objectives mean the same thing.
  const y = Float64Array.from(eta, (v) => v + 3 * rng.normal());
  const ym = y.reduce((s, v) => s + v, 0) / n;
  const ysd = Math.sqrt(y.reduce((s, v) => s + (v - ym) ** 2, 0) / n);
  for (let i = 0; i < n; i++) y[i] = (y[i] - ym) / ysd;
  writeFileSync(join(OUT, `ridge.${cell}.x.bin`), Buffer.from(x.buffer));
  writeFileSync(join(OUT, `ridge.${cell}.y.bin`), Buffer.from(y.buffer));
  const m = denseMatrix(n, p, x);
  data[cell] = { m, y };
  let fit;
  const times = [];
  // ridgePath as a user calls it (its products on every core: THREADS) and on one thread,
  // alternately, so that glmnet (one thread) is also compared with the same work on one core.
  const one = [];
  const single = { threads: 1 };
  // Warmed up as bench:cox, bench:families and bench:multiclass are (1.5 s each way): with one
  // untimed 0.2 s batch, the 1000 × 500 cell timed 0.10 s on two threads here, against 0.060 s
  // steady (the helper thread's start and its own compiler tiers fall in the first second).
  warmUp(() => ridgePath(m, y));
  warmUp(() => ridgePath(m, y, single));
  const both = () => {
    for (let r = 0; r < REPS; r++) {
      times.push(batch(() => (fit = ridgePath(m, y)), 200));
      one.push(batch(() => ridgePath(m, y, single), 200));
    }
  };
  both();
  const cd = [];
  // Coordinate descent by name (elasticNetPath would route α = 0 on these shapes to the exact
  // solver), with the variant its "auto" picks.
  const type = p < 500 ? "covariance" : "naive";
  for (let r = 0; r < REPS; r++)
    cd.push(batch(() => elasticNetPath(m, y, { alpha: 0, type }), 200));
  writeFileSync(
    join(OUT, `ridge.${cell}.ours.json`),
    JSON.stringify({ lambda: Array.from(fit.lambda) }),
  );
  // glmnet on this cell now, and our path timed again after it: the two timings bracket the
  // reference's, so that a drift of the machine's speed within the run (this machine's cores
  // change speed by up to 50 % within minutes) weighs on both sides.
  execFileSync("Rscript", [join(HERE, "glmnet-ridge.R"), OUT, String(REPS), cell], {
    stdio: "inherit",
  });
  both();
  rows.push({
    cell,
    ours: median(times),
    one: median(one),
    cd: median(cd),
    lambdaLoo: fit.cv.lambdaLoo,
    kkt: Math.max(...Array.from(fit.kktMax, (v, k) => v / fit.lambda[k])),
  });
  console.log(
    `ridge ${cell} regularize ${median(times).toFixed(4)} s (${THREADS} threads), ${median(one).toFixed(4)} s (1 thread), coordinate descent ${median(cd).toFixed(4)} s`,
  );
});
let sklearn = true;
try {
  execFileSync("/usr/bin/python3", [join(HERE, "sklearn_ridge.py"), OUT, String(REPS), ...CELLS], {
    stdio: "inherit",
  });
} catch {
  sklearn = false;
  console.log("scikit-learn not available: its column is left out");
}
for (const row of rows) {
  const g = JSON.parse(readFileSync(join(OUT, `ridge.${row.cell}.glmnet.json`), "utf8"));
  row.glmnet = median(g.seconds);
  // Our exact path at glmnet's λ: its objective against glmnet's coordinate-descent fits.
  const { m, y } = data[row.cell];
  const at = ridgePath(m, y, { lambda: g.lambda });
  row.excess = Math.max(...g.objective.map((v, k) => (at.objective[k] - v) / Math.abs(v)));
  if (sklearn) {
    const s = JSON.parse(readFileSync(join(OUT, `ridge.${row.cell}.sklearn.json`), "utf8"));
    row.sklearn = median(s.seconds);
    row.sklearnLoo = s.lambdaLoo;
  }
}
writeFileSync(join(OUT, "ridge.json"), JSON.stringify(rows, null, 2));
console.log(
  `\n| n × p | glmnet α = 0 path | RidgeCV | ridgePath (${THREADS} threads) | / glmnet | / RidgeCV | ridgePath (1 thread) | / glmnet | our CD α = 0 path | objective vs glmnet | KKT / λ | λ_LOO ours / RidgeCV |`,
);
console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows)
  console.log(
    `| ${r.cell} | ${r.glmnet.toFixed(4)} s | ${r.sklearn ? r.sklearn.toFixed(4) + " s" : "—"} | ${r.ours.toFixed(4)} s | ${(r.ours / r.glmnet).toFixed(2)} × | ${r.sklearn ? (r.ours / r.sklearn).toFixed(2) + " ×" : "—"} | ${r.one.toFixed(4)} s | ${(r.one / r.glmnet).toFixed(2)} × | ${r.cd.toFixed(4)} s | ${r.excess.toExponential(1)} | ${r.kkt.toExponential(1)} | ${r.lambdaLoo.toPrecision(6)} / ${r.sklearnLoo ? r.sklearnLoo.toPrecision(6) : "—"} |`,
  );

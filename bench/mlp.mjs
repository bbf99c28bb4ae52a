// npm run bench -- [--quick] [--reps 3]   (run by `npm run bench` after the path benchmarks)
//
// Training throughput (samples per second, training steps only) of regularize's MLP engine on the
// digits network of issue 5 — 64 → 256 → 256 → 10, ReLU, dropout 0.3, AdamW, label smoothing 0.1,
// batch 32 and 256 — against PyTorch with one thread (bench/torch_mlp.py) on the same machine in the same
// run, in Float32 (PyTorch's default) and Float64, each against the same precision. Median of the reps;
// the test accuracy after the same number of epochs is printed as a sanity check.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { trainMlp } from "../dist/index.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..");
const OUT = join(HERE, "out");
mkdirSync(OUT, { recursive: true });
const argv = process.argv.slice(2);
const value = (name, d) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : d);
const QUICK = argv.includes("--quick");
const EPOCHS = QUICK ? 3 : 10;
const REPS = Number(value("--reps", "3"));

const rows = readFileSync(join(ROOT, "data", "digits.csv"), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => l.split(",").map(Number));
const part = (keep) => {
  const r = rows.filter((_, i) => keep(i));
  return { x: Float64Array.from(r.flatMap((v) => v.slice(0, 64))), y: r.map((v) => v[64]) };
};
const tr = part((i) => i % 5 !== 0);
const te = part((i) => i % 5 === 0);
const median = (a) => [...a].sort((u, v) => u - v)[Math.floor(a.length / 2)];

/** One (dtype, batch) cell in this process: rates and accuracies over the reps. */
function cell(dtype, BATCH) {
  const ours = [];
  const oursAcc = [];
  for (let rep = 0; rep < REPS; rep++) {
    let first = 0;
    let steps = 0;
    // Time the training steps only: from the end of the first step to the end of the last.
    let tLast = 0;
    const m = trainMlp(tr.x, tr.y, tr.y.length, 64, {
      hidden: [256, 256],
      dropout: 0.3,
      optimizer: "adamw",
      lr: 1e-3,
      weightDecay: 0.01,
      labelSmoothing: 0.1,
      batchSize: BATCH,
      epochs: EPOCHS,
      seed: rep + 1,
      dtype,
      onStep: (done) => {
        if (done === 1) first = performance.now();
        steps = done;
        tLast = performance.now();
      },
    });
    const samples = EPOCHS * tr.y.length - BATCH;
    ours.push(samples / ((tLast - first) / 1000));
    oursAcc.push(m.evaluate(te.x, te.y, te.y.length).accuracy);
    if (steps !== EPOCHS * Math.ceil(tr.y.length / BATCH)) throw new Error("step count");
  }
  return { rates: ours, accs: oursAcc };
}

if (argv.includes("--cell")) {
  // a child process: one dtype, one batch size (so the JIT sees a single array type)
  const [dtype, batch] = value("--cell").split(":");
  process.stdout.write(JSON.stringify(cell(dtype, Number(batch))));
  process.exit(0);
}

const lines = [];
const result = { epochs: EPOCHS, reps: REPS, runs: [] };
for (const BATCH of [32, 256]) {
  const rates = {};
  const accs = {};
  for (const dtype of ["float64", "float32"]) {
    const r = JSON.parse(
      execFileSync(
        process.execPath,
        [fileURLToPath(import.meta.url), ...argv, "--cell", `${dtype}:${BATCH}`],
        {
          encoding: "utf8",
        },
      ),
    );
    rates[dtype] = r.rates;
    accs[dtype] = r.accs;
  }
  let torch = null;
  try {
    torch = JSON.parse(
      execFileSync(
        "/usr/bin/python3",
        [join(HERE, "torch_mlp.py"), String(EPOCHS), String(REPS), String(BATCH)],
        { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
      ),
    );
  } catch (e) {
    console.log(
      `PyTorch not available (${String(e.message).split("\n")[0]}); apt-get install python3-torch`,
    );
  }
  lines.push(
    `## MLP training throughput (digits, 64 → 256 → 256 → 10, dropout 0.3, AdamW, batch ${BATCH}, ${EPOCHS} epochs, median of ${REPS})`,
    "",
    "| engine | samples/s | throughput ratio regularize/PyTorch | test accuracy |",
    "|---|---:|---:|---:|",
    ...["float32", "float64"].map(
      (dt) =>
        `| regularize ${dt} (WebAssembly SIMD) | ${median(rates[dt]).toFixed(0)} | ${torch ? `${(median(rates[dt]) / median(torch[dt].samplesPerSecond)).toFixed(2)} (same dtype)` : "-"} | ${median(accs[dt]).toFixed(4)} |`,
    ),
  );
  const run = { batch: BATCH, regularize: { samplesPerSecond: rates, testAccuracy: accs } };
  if (torch) {
    run.torch = torch;
    for (const dt of ["float32", "float64"]) {
      const r = median(torch[dt].samplesPerSecond);
      lines.push(
        `| PyTorch ${torch.torch} ${dt}, ${torch.threads} thread | ${r.toFixed(0)} | ${(median(rates[dt]) / r).toFixed(2)} (regularize ${dt}) | ${median(torch[dt].testAccuracy).toFixed(4)} |`,
      );
    }
  }
  lines.push("");
  result.runs.push(run);
}
lines.push("A ratio above 1 means regularize trains faster than that engine.");
const md = lines.join("\n") + "\n";
writeFileSync(join(OUT, "mlp.md"), md);
writeFileSync(join(OUT, "mlp.json"), JSON.stringify(result, null, 1));
process.stdout.write(md);

import { Random, type EpochRecord } from "regularize";
import { axes, el, linear } from "./svg.js";

/**
 * Panel 5 — neural networks. A dropout simulation (a small network; each batch drops units with
 * probability p and scales the kept ones by 1/(1 − p), so the expected activation is unchanged),
 * and live training of a 64 → h → h → 10 MLP on the digits data in a web worker with the chosen
 * regularizers: curves, exact-zero fraction per layer, weight histograms, batch norm's two modes.
 */
export function mountNn(root: HTMLElement): void {
  root.innerHTML = `
  <h2>Neural networks: dropout, weight decay, sparsity</h2>
  <h3>Dropout, one batch at a time</h3>
  <p class="explain">In training each hidden unit is dropped with probability p; the kept ones are multiplied by
  <span class="formula">1/(1 − p)</span> (inverted dropout), so that the expected input of the next layer is the same as at evaluation time, when nothing is dropped.</p>
  <div class="row">
    <svg id="drop" viewBox="0 0 520 260" width="520" height="260" role="img" aria-label="A network with dropped units"></svg>
    <div class="controls">
      <label for="drop-p">Dropout rate p: <span id="drop-p-v"></span></label>
      <input id="drop-p" type="range" min="0" max="0.9" step="0.05" value="0.5" />
      <button id="drop-next" type="button">Next batch</button>
      <div class="readout" id="drop-numbers"></div>
    </div>
  </div>
  <h3>Train an MLP on the digits data (in a web worker)</h3>
  <div class="row">
    <div class="controls">
      <label for="nn-opt">Optimizer</label>
      <select id="nn-opt">
        <option value="adamw">AdamW (decoupled weight decay)</option>
        <option value="adaml2">Adam + L2 (decay divided by √v)</option>
        <option value="proxadam">Proximal Adam (L1 / group: exact zeros)</option>
        <option value="sgd">SGD</option>
      </select>
      <label for="nn-hidden">Hidden units per layer</label>
      <select id="nn-hidden"><option>32</option><option selected>64</option><option>128</option></select>
      <label for="nn-dropout">Dropout: <span id="nn-dropout-v"></span></label>
      <input id="nn-dropout" type="range" min="0" max="0.6" step="0.05" value="0.2" />
      <label for="nn-wd">Weight decay: <span id="nn-wd-v"></span></label>
      <input id="nn-wd" type="range" min="0" max="0.1" step="0.005" value="0.01" />
      <label for="nn-l1">L1 (proximal with proxadam, in the loss otherwise): <span id="nn-l1-v"></span></label>
      <input id="nn-l1" type="range" min="0" max="0.005" step="0.0005" value="0" />
      <label for="nn-group">Group sparsity (whole neurons; proxadam): <span id="nn-group-v"></span></label>
      <input id="nn-group" type="range" min="0" max="0.003" step="0.0005" value="0" />
      <label for="nn-ls">Label smoothing: <span id="nn-ls-v"></span></label>
      <input id="nn-ls" type="range" min="0" max="0.3" step="0.05" value="0.1" />
      <label for="nn-mixup">Mixup α (0: off): <span id="nn-mixup-v"></span></label>
      <input id="nn-mixup" type="range" min="0" max="1" step="0.1" value="0" />
      <label><input id="nn-bn" type="checkbox" /> Batch normalization</label>
      <label><input id="nn-es" type="checkbox" checked /> Early stopping (patience 5, best weights restored)</label>
      <label for="nn-epochs">Epochs: <span id="nn-epochs-v"></span></label>
      <input id="nn-epochs" type="range" min="2" max="40" step="1" value="12" />
      <button id="nn-train" type="button">Train</button>
      <div class="readout" id="nn-status" data-testid="nn-status" aria-live="polite">ready</div>
      <div class="readout" id="nn-best" data-testid="nn-val"></div>
    </div>
    <div>
      <svg id="nn-curves" viewBox="0 0 560 260" width="560" height="260" role="img" aria-label="Loss and accuracy curves"></svg>
      <svg id="nn-zeros" viewBox="0 0 560 220" width="560" height="220" role="img" aria-label="Exact-zero fraction per layer"></svg>
      <svg id="nn-hist" viewBox="0 0 560 200" width="560" height="200" role="img" aria-label="Weight histograms"></svg>
    </div>
  </div>`;
  const $ = <T extends Element>(id: string) => root.querySelector<T>(`#${id}`)!;
  const val = (id: string) => Number($<HTMLInputElement>(id).value);

  // ---- dropout simulation ----
  const rng = new Random(7);
  const sizes = [4, 6, 6, 3];
  function drawDropout(): void {
    const p = val("drop-p");
    $("drop-p-v").textContent = p.toFixed(2);
    const svg = $<SVGSVGElement>("drop");
    svg.innerHTML = "";
    const g = el("g", {}, svg);
    const pos = sizes.map((n, l) =>
      Array.from({ length: n }, (_, i) => [60 + l * 130, 30 + ((i + 0.5) * 200) / n]),
    );
    const kept = sizes.map((n, l) =>
      Array.from({ length: n }, () => l === 0 || l === sizes.length - 1 || rng.uniform() >= p),
    );
    for (let l = 0; l + 1 < sizes.length; l++)
      for (let i = 0; i < sizes[l]; i++)
        for (let j = 0; j < sizes[l + 1]; j++)
          el(
            "line",
            {
              x1: pos[l][i][0],
              y1: pos[l][i][1],
              x2: pos[l + 1][j][0],
              y2: pos[l + 1][j][1],
              stroke: kept[l][i] && kept[l + 1][j] ? "#7fb3d5" : "#eee",
              "stroke-width": 1,
            },
            g,
          );
    let nKept = 0;
    let nHidden = 0;
    for (let l = 0; l < sizes.length; l++)
      for (let i = 0; i < sizes[l]; i++) {
        const hidden = l > 0 && l < sizes.length - 1;
        if (hidden) {
          nHidden++;
          if (kept[l][i]) nKept++;
        }
        el(
          "circle",
          {
            cx: pos[l][i][0],
            cy: pos[l][i][1],
            r: 11,
            fill: kept[l][i] ? "#2e86c1" : "#fff",
            stroke: kept[l][i] ? "#1b4f72" : "#bbb",
            "stroke-dasharray": kept[l][i] ? "" : "3 2",
          },
          g,
        );
      }
    const scale = p < 1 ? 1 / (1 - p) : Infinity;
    $("drop-numbers").innerHTML =
      `kept ${nKept} of ${nHidden} hidden units this batch; each kept activation × <b>${scale.toFixed(2)}</b> = 1/(1 − ${p.toFixed(2)}), so E[activation] stays the same: ${(1 - p).toFixed(2)} × ${scale.toFixed(2)} = 1.`;
  }
  $("drop-p").addEventListener("input", drawDropout);
  $("drop-next").addEventListener("click", drawDropout);
  drawDropout();

  // ---- training ----
  const labels: [string, string, (v: number) => string][] = [
    ["nn-dropout", "nn-dropout-v", (v) => v.toFixed(2)],
    ["nn-wd", "nn-wd-v", (v) => v.toFixed(3)],
    ["nn-l1", "nn-l1-v", (v) => v.toFixed(4)],
    ["nn-group", "nn-group-v", (v) => v.toFixed(4)],
    ["nn-ls", "nn-ls-v", (v) => v.toFixed(2)],
    ["nn-mixup", "nn-mixup-v", (v) => v.toFixed(1)],
    ["nn-epochs", "nn-epochs-v", (v) => String(v)],
  ];
  for (const [id, out, f] of labels) {
    const upd = () => ($(out).textContent = f(val(id)));
    $(id).addEventListener("input", upd);
    upd();
  }
  let worker: Worker | null = null;
  let history: EpochRecord[] = [];

  function drawCurves(): void {
    const svg = $<SVGSVGElement>("nn-curves");
    svg.innerHTML = "";
    const g = el("g", {}, svg);
    const E = Math.max(history.length, 2);
    const xs = linear([1, E], [60, 540]);
    const losses = history.flatMap((r) => [r.trainLoss, r.valLoss ?? r.trainLoss]);
    const ys = linear([0, Math.max(0.5, ...losses)], [220, 20]);
    axes(g, xs, ys, { x0: 60, x1: 540, y0: 20, y1: 220 }, "Epoch", "Loss / validation accuracy");
    const line = (
      v: (r: EpochRecord) => number | null,
      color: string,
      label: string,
      k: number,
    ) => {
      const pts = history.map((r, i) => [xs(i + 1), ys(v(r) ?? 0)]);
      el(
        "polyline",
        {
          points: pts.map((p) => p.join(",")).join(" "),
          fill: "none",
          stroke: color,
          "stroke-width": 2,
        },
        g,
      );
      el("text", { x: 70, y: 32 + 14 * k, "font-size": 12, fill: color }, g).textContent = label;
    };
    line((r) => r.trainLoss, "#e67e22", "training loss", 0);
    line((r) => r.valLoss, "#2e86c1", "validation loss", 1);
    line((r) => r.valAccuracy, "#1e8449", "validation accuracy", 2);
    // zero fraction per layer
    const zs = $<SVGSVGElement>("nn-zeros");
    zs.innerHTML = "";
    const gz = el("g", {}, zs);
    const zy = linear([0, 1], [180, 20]);
    axes(gz, xs, zy, { x0: 60, x1: 540, y0: 20, y1: 180 }, "Epoch", "Exact-zero fraction");
    const colors = ["#2e86c1", "#e67e22", "#c0392b"];
    (history[0]?.zeroFractionPerLayer ?? []).forEach((_, l) => {
      el(
        "polyline",
        {
          points: history.map((r, i) => `${xs(i + 1)},${zy(r.zeroFractionPerLayer[l])}`).join(" "),
          fill: "none",
          stroke: colors[l % 3],
          "stroke-width": 2,
        },
        gz,
      );
      el("text", { x: 70, y: 32 + 14 * l, "font-size": 12, fill: colors[l % 3] }, gz).textContent =
        `Dense ${l + 1}`;
    });
    // histograms of the last epoch
    const hs = $<SVGSVGElement>("nn-hist");
    hs.innerHTML = "";
    const last = history[history.length - 1]?.weightHistograms ?? [];
    last.forEach((h, l) => {
      const x0 = 20 + l * 180;
      const hx = linear([h.edges[0], h.edges[h.edges.length - 1]], [x0, x0 + 160]);
      const hy = linear([0, Math.max(...h.counts)], [170, 30]);
      const gh = el("g", {}, hs);
      el(
        "text",
        { x: x0 + 80, y: 18, "text-anchor": "middle", "font-size": 12, "font-weight": "bold" },
        gh,
      ).textContent = `Dense ${l + 1} weights`;
      h.counts.forEach((c, b) =>
        el(
          "rect",
          {
            x: hx(h.edges[b]),
            y: hy(c),
            width: Math.max(1, hx(h.edges[b + 1]) - hx(h.edges[b]) - 0.5),
            height: 170 - hy(c),
            fill: "#2e86c1",
          },
          gh,
        ),
      );
      el("line", { x1: x0, x2: x0 + 160, y1: 170, y2: 170, stroke: "#888" }, gh);
      el("text", { x: x0, y: 186, "font-size": 10 }, gh).textContent = h.edges[0].toFixed(2);
      el("text", { x: x0 + 160, y: 186, "font-size": 10, "text-anchor": "end" }, gh).textContent =
        h.edges[h.edges.length - 1].toFixed(2);
    });
  }

  $("nn-train").addEventListener("click", () => {
    worker?.terminate();
    history = [];
    drawCurves();
    const optimizer = $<HTMLSelectElement>("nn-opt").value;
    const h = Number($<HTMLSelectElement>("nn-hidden").value);
    const l1 = val("nn-l1");
    const group = val("nn-group");
    worker = new Worker(new URL("./train.worker.ts", import.meta.url), { type: "module" });
    $("nn-status").textContent = "training…";
    worker.onmessage = (ev) => {
      if (ev.data.epoch) {
        history.push(ev.data.epoch);
        const r = ev.data.epoch as EpochRecord;
        $("nn-status").textContent =
          `epoch ${r.epoch}: validation accuracy ${r.valAccuracy?.toFixed(4)}`;
        $("nn-status").setAttribute("data-accuracies", history.map((e) => e.valAccuracy).join(","));
        drawCurves();
        return;
      }
      const d = ev.data.done;
      $("nn-status").textContent = "done";
      $("nn-best").innerHTML =
        `weights of epoch ${d.bestEpoch}; test accuracy <b>${d.test.accuracy.toFixed(4)}</b>` +
        (d.trainModeAccuracy !== null
          ? `<br>batch norm in evaluation mode (running statistics): ${d.test.accuracy.toFixed(4)}; in training mode (batch statistics, batches of 16): ${d.trainModeAccuracy.toFixed(4)}`
          : "");
    };
    worker.postMessage({
      hidden: [h, h],
      optimizer,
      lr: optimizer === "sgd" ? 0.05 : 2e-3,
      dropout: val("nn-dropout"),
      weightDecay: val("nn-wd"),
      l1: l1 > 0 ? l1 : undefined,
      group: group > 0 && optimizer === "proxadam" ? group : undefined,
      labelSmoothing: val("nn-ls"),
      mixup: val("nn-mixup") > 0 ? val("nn-mixup") : undefined,
      batchNorm: $<HTMLInputElement>("nn-bn").checked,
      earlyStopping: $<HTMLInputElement>("nn-es").checked ? 5 : undefined,
      epochs: val("nn-epochs"),
      batchSize: 32,
      seed: 1,
      dtype: "float32",
    });
  });
}

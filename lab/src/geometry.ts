import { projectL1Ball } from "regularize";
import { el, fmtNum, linear } from "./svg.js";

/**
 * Panel 1 — geometry. The loss f(w) = ½(w − c)ᵀA(w − c) (A from a scale ratio and a rotation,
 * i.e. correlated features) constrained to a norm ball h(w) ≤ t. The constrained solution is the
 * penalized one, min f(w) + λh(w), at the λ where h(ŵ(λ)) = t (found by bisection); each
 * penalized problem is solved by proximal gradient with the exact prox of λh, so the L1 corners
 * give exact zeros.
 */
type Norm = "l1" | "l2" | "enet" | "linf";

interface Problem {
  c: [number, number];
  A: [[number, number], [number, number]];
  norm: Norm;
  alpha: number;
}

const soft = (z: number, t: number) => (z > t ? z - t : z < -t ? z + t : 0);

function h(norm: Norm, alpha: number, w: [number, number]): number {
  const l1 = Math.abs(w[0]) + Math.abs(w[1]);
  const l2sq = w[0] ** 2 + w[1] ** 2;
  if (norm === "l1") return l1;
  if (norm === "l2") return Math.sqrt(l2sq);
  if (norm === "linf") return Math.max(Math.abs(w[0]), Math.abs(w[1]));
  return alpha * l1 + ((1 - alpha) / 2) * l2sq;
}

/** prox of s·λh at v (exact). */
function prox(norm: Norm, alpha: number, v: [number, number], s: number): [number, number] {
  if (norm === "l1") return [soft(v[0], s), soft(v[1], s)];
  if (norm === "enet") {
    const d = 1 + s * (1 - alpha);
    return [soft(v[0], s * alpha) / d, soft(v[1], s * alpha) / d];
  }
  if (norm === "l2") {
    const r = Math.hypot(v[0], v[1]);
    const k = r > s ? 1 - s / r : 0;
    return [k * v[0], k * v[1]];
  }
  // Moreau: prox of s‖·‖∞ = v − projection onto the L1 ball of radius s
  const p = new Float64Array(2);
  projectL1Ball(Float64Array.from(v), s, p);
  return [v[0] - p[0], v[1] - p[1]];
}

/** min f(w) + λh(w) by proximal gradient (step 1/L), to machine precision. */
export function penalized(P: Problem, lambda: number): [number, number] {
  const [[a, b], [, d]] = P.A;
  const L = (a + d) / 2 + Math.sqrt(((a - d) / 2) ** 2 + b * b);
  let w: [number, number] = [P.c[0], P.c[1]];
  for (let it = 0; it < 20000; it++) {
    const g0 = a * (w[0] - P.c[0]) + b * (w[1] - P.c[1]);
    const g1 = b * (w[0] - P.c[0]) + d * (w[1] - P.c[1]);
    const nw = prox(P.norm, P.alpha, [w[0] - g0 / L, w[1] - g1 / L], lambda / L);
    const done = Math.abs(nw[0] - w[0]) + Math.abs(nw[1] - w[1]) < 1e-15;
    w = nw;
    if (done) break;
  }
  return w;
}

/** The constrained solution of h(w) ≤ t and its multiplier λ. */
export function constrained(P: Problem, t: number): { w: [number, number]; lambda: number } {
  if (h(P.norm, P.alpha, P.c) <= t) return { w: [P.c[0], P.c[1]], lambda: 0 };
  let lo = 0;
  let hi = 1;
  while (h(P.norm, P.alpha, penalized(P, hi)) > t) hi *= 2;
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2;
    if (h(P.norm, P.alpha, penalized(P, mid)) > t) lo = mid;
    else hi = mid;
  }
  return { w: penalized(P, hi), lambda: hi };
}

export function mountGeometry(root: HTMLElement): void {
  root.innerHTML = `
  <h2>The diamond and the circle: where the loss touches the constraint</h2>
  <p class="explain">Minimize the loss <span class="formula">f(w) = ½(w − c)ᵀA(w − c)</span> subject to
  <span class="formula">‖w‖ ≤ t</span>. Drag the unconstrained optimum <b>c</b> (or focus the plot and use the arrow keys).
  The smallest loss contour that touches the region gives the solution ŵ. The L1 diamond has corners on the axes: when the
  contour meets a corner, a weight is <i>exactly</i> zero. The circle has no corners, so L2 only shrinks. The same ŵ solves
  the penalized problem <span class="formula">min f(w) + λ‖w‖</span> at the λ shown (the constraint's multiplier).</p>
  <div class="row">
    <svg id="geo" viewBox="0 0 440 440" width="440" height="440" tabindex="0" role="img"
      aria-label="Loss contours and the constraint region; arrow keys move the optimum"></svg>
    <div class="controls">
      <label for="geo-norm">Constraint region</label>
      <select id="geo-norm">
        <option value="l1">L1 diamond (lasso)</option>
        <option value="l2">L2 circle (‖w‖₂)</option>
        <option value="enet">Elastic net (α = 0.5)</option>
        <option value="linf">L∞ square</option>
      </select>
      <label for="geo-t">Constraint size t: <span id="geo-t-v"></span></label>
      <input id="geo-t" type="range" min="0.1" max="3" step="0.01" value="1" />
      <label for="geo-lambda">…or set the penalty: log₁₀ λ = <span id="geo-lambda-v"></span></label>
      <input id="geo-lambda" type="range" min="-2" max="1" step="0.01" value="0" />
      <label for="geo-scale">Loss elongation (scale ratio): <span id="geo-scale-v"></span></label>
      <input id="geo-scale" type="range" min="1" max="10" step="0.1" value="3" />
      <label for="geo-rot">Rotation / feature correlation (degrees): <span id="geo-rot-v"></span></label>
      <input id="geo-rot" type="range" min="-80" max="80" step="1" value="20" />
      <div class="readout" id="geo-w1" data-testid="w1"></div>
      <div class="readout" id="geo-w2" data-testid="w2"></div>
      <div class="readout" id="geo-lambda"></div>
      <div class="readout" id="geo-corner" aria-live="polite"></div>
      <p class="explain">Penalty ↔ constraint: each t has one λ (and back) — the same solution, two descriptions.</p>
    </div>
  </div>`;
  const svg = root.querySelector<SVGSVGElement>("#geo")!;
  const $ = <T extends HTMLElement>(id: string) => root.querySelector<T>(`#${id}`)!;
  const x = linear([-3, 3], [20, 420]);
  const y = linear([-3, 3], [420, 20]);
  const state = { c: [1.8, 0.9] as [number, number] };

  function draw(): void {
    const norm = $<HTMLSelectElement>("geo-norm").value as Norm;
    const t = Number($<HTMLInputElement>("geo-t").value);
    const ratio = Number($<HTMLInputElement>("geo-scale").value);
    const rot = (Number($<HTMLInputElement>("geo-rot").value) * Math.PI) / 180;
    $("geo-t-v").textContent = t.toFixed(2);
    $("geo-scale-v").textContent = ratio.toFixed(1);
    $("geo-rot-v").textContent = String(Math.round((rot * 180) / Math.PI));
    const cs = Math.cos(rot);
    const sn = Math.sin(rot);
    const e1 = 1;
    const e2 = ratio;
    const A: Problem["A"] = [
      [e1 * cs * cs + e2 * sn * sn, (e1 - e2) * cs * sn],
      [(e1 - e2) * cs * sn, e1 * sn * sn + e2 * cs * cs],
    ];
    const P: Problem = { c: state.c, A, norm, alpha: 0.5 };
    const { w, lambda } = constrained(P, t);
    if (lambda > 0) {
      $<HTMLInputElement>("geo-lambda").value = String(Math.log10(lambda));
      $("geo-lambda-v").textContent = Math.log10(lambda).toFixed(2);
    } else $("geo-lambda-v").textContent = "−∞ (no penalty needed)";
    svg.innerHTML = "";
    const g = el("g", {}, svg);
    // grid and axes
    for (let v = -3; v <= 3; v++) {
      el("line", { x1: x(v), x2: x(v), y1: y(-3), y2: y(3), stroke: v === 0 ? "#999" : "#eee" }, g);
      el("line", { x1: x(-3), x2: x(3), y1: y(v), y2: y(v), stroke: v === 0 ? "#999" : "#eee" }, g);
    }
    el("text", { x: x(2.85), y: y(0) - 6, "font-size": 13, "text-anchor": "end" }, g).textContent =
      "w₁";
    el("text", { x: x(0) + 6, y: y(2.8), "font-size": 13 }, g).textContent = "w₂";
    // the region h(w) ≤ t, by its boundary along rays
    const pts: string[] = [];
    for (let k = 0; k <= 720; k++) {
      const phi = (k / 720) * 2 * Math.PI;
      const u: [number, number] = [Math.cos(phi), Math.sin(phi)];
      let r: number;
      if (norm === "enet") {
        const a1 = 0.5 * (Math.abs(u[0]) + Math.abs(u[1]));
        const a2 = 0.25;
        r = (-a1 + Math.sqrt(a1 * a1 + 4 * a2 * t)) / (2 * a2);
      } else r = t / h(norm, 0.5, u);
      pts.push(`${x(r * u[0])},${y(r * u[1])}`);
    }
    el(
      "polygon",
      { points: pts.join(" "), fill: "#d6eaf8", stroke: "#2e86c1", "stroke-width": 2 },
      g,
    );
    // loss contours: f = level, ellipses c + √(2ℓ)·A^{-1/2}u
    const fAt = (p: [number, number]) => {
      const d0 = p[0] - state.c[0];
      const d1 = p[1] - state.c[1];
      return 0.5 * (A[0][0] * d0 * d0 + 2 * A[0][1] * d0 * d1 + A[1][1] * d1 * d1);
    };
    const level = fAt(w);
    for (const [lv, color, width] of [
      [level * 0.25, "#f5b7b1", 1],
      [level, "#c0392b", 2.5],
      [level * 2.5, "#f5b7b1", 1],
    ] as [number, string, number][]) {
      if (!(lv > 0)) continue;
      const ell: string[] = [];
      for (let k = 0; k <= 200; k++) {
        const th = (k / 200) * 2 * Math.PI;
        // A^{-1/2} in the eigenbasis (rotation rot, eigenvalues e1, e2)
        const a = Math.sqrt((2 * lv) / e1) * Math.cos(th);
        const b = Math.sqrt((2 * lv) / e2) * Math.sin(th);
        ell.push(`${x(state.c[0] + cs * a - sn * b)},${y(state.c[1] + sn * a + cs * b)}`);
      }
      el(
        "polyline",
        { points: ell.join(" "), fill: "none", stroke: color, "stroke-width": width },
        g,
      );
    }
    // the optimum c (draggable) and the solution ŵ
    el(
      "circle",
      {
        cx: x(state.c[0]),
        cy: y(state.c[1]),
        r: 8,
        fill: "#333",
        cursor: "grab",
        "data-role": "c",
      },
      g,
    );
    el("text", { x: x(state.c[0]) + 10, y: y(state.c[1]) - 8, "font-size": 13 }, g).textContent =
      "c";
    const atZero = w[0] === 0 || w[1] === 0;
    el(
      "circle",
      { cx: x(w[0]), cy: y(w[1]), r: 7, fill: atZero ? "#c0392b" : "#1e8449", stroke: "white" },
      g,
    );
    el(
      "text",
      { x: x(w[0]) + 10, y: y(w[1]) + 16, "font-size": 13, "font-weight": "bold" },
      g,
    ).textContent = "ŵ";
    const show = (v: number, name: string) =>
      v === 0 ? `${name} = <span class="zero">0 (exactly)</span>` : `${name} = ${fmtNum(v)}`;
    $("geo-w1").innerHTML = show(w[0], "w₁");
    $("geo-w2").innerHTML = show(w[1], "w₂");
    $("geo-lambda").textContent =
      `λ = ${lambda === 0 ? "0 (c is inside: no shrinkage)" : fmtNum(lambda)}`;
    $("geo-corner").innerHTML =
      atZero && lambda > 0
        ? '<span class="zero">A corner is hit: a weight is exactly zero.</span>'
        : "";
  }

  // dragging and keyboard
  let dragging = false;
  const toData = (ev: PointerEvent): [number, number] => {
    const r = svg.getBoundingClientRect();
    const px = ((ev.clientX - r.left) / r.width) * 440;
    const py = ((ev.clientY - r.top) / r.height) * 440;
    return [Math.max(-3, Math.min(3, x.invert(px))), Math.max(-3, Math.min(3, y.invert(py)))];
  };
  svg.addEventListener("pointerdown", (ev) => {
    dragging = true;
    svg.setPointerCapture(ev.pointerId);
    state.c = toData(ev);
    draw();
  });
  svg.addEventListener("pointermove", (ev) => {
    if (!dragging) return;
    state.c = toData(ev);
    draw();
  });
  svg.addEventListener("pointerup", () => (dragging = false));
  svg.addEventListener("keydown", (ev) => {
    const step = ev.shiftKey ? 0.5 : 0.05;
    const d: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, step],
      ArrowDown: [0, -step],
    };
    if (!d[ev.key]) return;
    ev.preventDefault();
    state.c = [
      Math.max(-3, Math.min(3, state.c[0] + d[ev.key][0])),
      Math.max(-3, Math.min(3, state.c[1] + d[ev.key][1])),
    ];
    draw();
  });
  for (const id of ["geo-norm", "geo-t", "geo-scale", "geo-rot"])
    $(id).addEventListener("input", draw);
  // the penalty side: λ gives the penalized solution, whose norm is the matching t
  $("geo-lambda").addEventListener("input", () => {
    const lambda = 10 ** Number($<HTMLInputElement>("geo-lambda").value);
    const norm = $<HTMLSelectElement>("geo-norm").value as Norm;
    const ratio = Number($<HTMLInputElement>("geo-scale").value);
    const rot = (Number($<HTMLInputElement>("geo-rot").value) * Math.PI) / 180;
    const cs = Math.cos(rot);
    const sn = Math.sin(rot);
    const A: Problem["A"] = [
      [cs * cs + ratio * sn * sn, (1 - ratio) * cs * sn],
      [(1 - ratio) * cs * sn, sn * sn + ratio * cs * cs],
    ];
    const w = penalized({ c: state.c, A, norm, alpha: 0.5 }, lambda);
    $<HTMLInputElement>("geo-t").value = String(Math.max(0.1, Math.min(3, h(norm, 0.5, w))));
    draw();
  });
  draw();
}

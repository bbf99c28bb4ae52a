/** Small SVG helpers for the lab's charts: elements, linear scales, axes with labels. */
const NS = "http://www.w3.org/2000/svg";

/** The ten-colour palette of the lab's line charts (one colour per feature). */
export const COLORS = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

export function el<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  parent?: Element,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.appendChild(e);
  return e;
}

export interface Scale {
  (v: number): number;
  invert(p: number): number;
  domain: [number, number];
}

export function linear(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = (r1 - r0) / (d1 - d0 || 1);
  const s = ((v: number) => r0 + (v - d0) * k) as Scale;
  s.invert = (p: number) => d0 + (p - r0) / k;
  s.domain = domain;
  return s;
}

export function ticks([a, b]: [number, number], count = 6): number[] {
  const span = Math.abs(b - a) || 1;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0)!;
  const lo = Math.ceil(Math.min(a, b) / step) * step;
  const out: number[] = [];
  for (let v = lo; v <= Math.max(a, b) + 1e-9 * step; v += step)
    out.push(Math.abs(v) < 1e-12 ? 0 : v);
  return out;
}

/** Axes with ticks and titles for a plot area [x0, x1] × [y0, y1] (pixels). */
export function axes(
  g: SVGGElement,
  x: Scale,
  y: Scale,
  box: { x0: number; x1: number; y0: number; y1: number },
  xTitle: string,
  yTitle: string,
): void {
  const fmt = (v: number) =>
    Math.abs(v) >= 1e6 || (Math.abs(v) < 0.01 && v !== 0)
      ? v.toExponential(0)
      : String(+v.toPrecision(3));
  el("line", { x1: box.x0, x2: box.x1, y1: box.y1, y2: box.y1, stroke: "#888" }, g);
  el("line", { x1: box.x0, x2: box.x0, y1: box.y0, y2: box.y1, stroke: "#888" }, g);
  for (const t of ticks(x.domain)) {
    const px = x(t);
    if (px < box.x0 - 1 || px > box.x1 + 1) continue;
    el("line", { x1: px, x2: px, y1: box.y1, y2: box.y1 + 4, stroke: "#888" }, g);
    el("text", { x: px, y: box.y1 + 16, "text-anchor": "middle", "font-size": 11 }, g).textContent =
      fmt(t);
  }
  for (const t of ticks(y.domain)) {
    const py = y(t);
    if (py < box.y0 - 1 || py > box.y1 + 1) continue;
    el("line", { x1: box.x0 - 4, x2: box.x0, y1: py, y2: py, stroke: "#888" }, g);
    el("text", { x: box.x0 - 6, y: py + 4, "text-anchor": "end", "font-size": 11 }, g).textContent =
      fmt(t);
  }
  el(
    "text",
    {
      x: (box.x0 + box.x1) / 2,
      y: box.y1 + 32,
      "text-anchor": "middle",
      "font-size": 12,
      "font-weight": "bold",
    },
    g,
  ).textContent = xTitle;
  const yt = el(
    "text",
    {
      x: 0,
      y: 0,
      "text-anchor": "middle",
      "font-size": 12,
      "font-weight": "bold",
      transform: `translate(${box.x0 - 42},${(box.y0 + box.y1) / 2}) rotate(-90)`,
    },
    g,
  );
  yt.textContent = yTitle;
}

export const fmtNum = (v: number): string =>
  v === 0 ? "0" : Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4 ? v.toExponential(3) : v.toFixed(4);

/** [min, max] over rows of values, always including 0 (the range of a coefficient-path chart). */
export function extent(rows: ArrayLike<number>[]): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const b of rows)
    for (let k = 0; k < b.length; k++) {
      lo = Math.min(lo, b[k]);
      hi = Math.max(hi, b[k]);
    }
  return [lo, hi];
}

// Draws docs/scale.svg from docs/scale.json (written by bench/scale.mjs): time and peak memory of
// `regularize fit --cv 10` against rows, the duckdb engine next to the in-memory one and cv.glmnet.
// Run alone to redraw: node bench/scale-plot.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export function plot(results) {
  const W = 360;
  const H = 260;
  const L = 58;
  const B = 40;
  const lx = (r) => Math.log10(r);
  const x0 = Math.min(...results.map((r) => lx(r.rows))) - 0.15;
  const x1 = Math.max(...results.map((r) => lx(r.rows))) + 0.15;
  const panel = (ox, title, unit, series, goal) => {
    const all = series.flatMap((s) => s.points.map((p) => p[1])).concat(goal ? [goal.value] : []);
    const ymax = niceMax(Math.max(...all) * 1.08);
    const X = (r) => ox + L + ((lx(r) - x0) / (x1 - x0)) * (W - L - 12);
    const Y = (v) => H - B - (v / ymax) * (H - B - 30);
    const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * ymax);
    let s = `<text x="${ox + L}" y="18" font-size="13" font-weight="bold">${title}</text>`;
    s += `<line x1="${ox + L}" y1="${H - B}" x2="${ox + W - 12}" y2="${H - B}" stroke="#999"/>`;
    s += `<line x1="${ox + L}" y1="${H - B}" x2="${ox + L}" y2="26" stroke="#999"/>`;
    for (const t of ticks)
      s += `<text x="${ox + L - 6}" y="${Y(t) + 4}" text-anchor="end">${fmt(t)}</text><line x1="${ox + L}" y1="${Y(t)}" x2="${ox + W - 12}" y2="${Y(t)}" stroke="#eee"/>`;
    s += `<text x="${ox + 12}" y="${(H - B) / 2 + 10}" transform="rotate(-90 ${ox + 12} ${(H - B) / 2 + 10})" text-anchor="middle">${unit}</text>`;
    for (const r of results)
      s += `<text x="${X(r.rows)}" y="${H - B + 16}" text-anchor="middle">${r.rows / 1e6}M</text>`;
    s += `<text x="${ox + L + (W - L) / 2}" y="${H - 6}" text-anchor="middle">rows (20 features, log scale)</text>`;
    if (goal)
      s += `<line x1="${ox + L}" y1="${Y(goal.value)}" x2="${ox + W - 12}" y2="${Y(goal.value)}" stroke="#d62728" stroke-dasharray="5 4"/><text x="${ox + W - 14}" y="${Y(goal.value) - 4}" text-anchor="end" fill="#d62728">${goal.label}</text>`;
    for (const ser of series) {
      if (ser.points.length > 1)
        s += `<polyline fill="none" stroke="${ser.color}" stroke-width="2" points="${ser.points.map(([r, v]) => `${X(r).toFixed(1)},${Y(v).toFixed(1)}`).join(" ")}"/>`;
      for (const [r, v] of ser.points)
        s += `<circle cx="${X(r).toFixed(1)}" cy="${Y(v).toFixed(1)}" r="3.5" fill="${ser.color}"/>`;
    }
    return s;
  };
  const pick = (f) =>
    results.filter((r) => f(r) !== null && f(r) !== undefined).map((r) => [r.rows, f(r)]);
  const engine = { name: "--engine duckdb", color: "#1f77b4" };
  const memory = { name: "in memory", color: "#7f7f7f" };
  const glmnet = { name: "cv.glmnet (fit alone)", color: "#2ca02c" };
  const left = panel(
    0,
    "Seconds, fit --cv 10",
    "seconds",
    [
      { ...memory, points: pick((r) => r.memory?.seconds) },
      { ...engine, points: pick((r) => r.engine.seconds) },
      { ...glmnet, points: pick((r) => r.glmnet?.seconds) },
    ],
    { value: 60, label: "goal 60 s (30M)" },
  );
  const right = panel(
    W + 20,
    "Peak memory",
    "MiB",
    [
      { ...memory, points: pick((r) => (r.memory ? r.memory.rss / 2 ** 20 : null)) },
      { ...engine, points: pick((r) => r.engine.rss / 2 ** 20) },
    ],
    { value: 1024, label: "goal 1 GiB" },
  );
  const legend = [engine, memory, glmnet]
    .map(
      (s, k) =>
        `<circle cx="${20 + k * 170}" cy="${H + 14}" r="5" fill="${s.color}"/><text x="${30 + k * 170}" y="${H + 18}">${s.name}</text>`,
    )
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W + 20}" height="${H + 30}" font-family="Helvetica, Arial, sans-serif" font-size="11">${left}${right}${legend}</svg>\n`;
}

function niceMax(v) {
  const e = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * e).find((m) => m >= v);
}
const fmt = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(0) : v.toFixed(1));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const doc = JSON.parse(readFileSync(join(ROOT, "docs", "scale.json"), "utf8"));
  writeFileSync(join(ROOT, "docs", "scale.svg"), plot(doc.gaussian ?? doc));
}

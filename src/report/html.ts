import { renderSvg, type Chart } from "./charts.js";

/** A section of a report: a heading, paragraphs / tables (HTML), and charts. */
export interface ReportSection {
  heading: string;
  html?: string;
  charts?: Chart[];
}

export const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

/** An HTML table from a header and rows of cells (escaped); numeric-looking cells right-aligned. */
export function htmlTable(header: string[], rows: string[][]): string {
  const num = /^[-+−]?[\d.,]+(e[-+]?\d+)?%?$/i;
  const cell = (tag: string, s: string) =>
    `<${tag}${num.test(s) ? ' class="num"' : ""}>${escapeHtml(s)}</${tag}>`;
  return `<table><thead><tr>${header.map((h) => cell("th", h)).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => cell("td", c)).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

const STYLE = `
body { font-family: Helvetica, Arial, sans-serif; max-width: 980px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.meta { color: #555; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { padding: 0.25em 0.8em; border-bottom: 1px solid #eee; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1.2em 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.9em; margin-top: 0.3em; }
code { background: #f4f4f4; padding: 0 0.2em; }
`;

/** A self-contained HTML page: inline CSS and inline SVG charts, no scripts, no network. */
export async function renderReport(
  title: string,
  meta: string,
  sections: ReportSection[],
): Promise<string> {
  const body: string[] = [];
  for (const s of sections) {
    body.push(`<section><h2>${escapeHtml(s.heading)}</h2>`);
    if (s.html) body.push(s.html);
    for (const c of s.charts ?? []) {
      const svg = await renderSvg(c);
      body.push(
        `<figure id="chart-${c.id}" data-chart="${c.id}">${svg}<figcaption>${escapeHtml(c.caption)}</figcaption></figure>`,
      );
    }
    body.push("</section>");
  }
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1><p class="meta">${meta}</p>
${body.join("\n")}
</body></html>
`;
}

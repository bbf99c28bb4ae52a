import { mountBayes } from "./bayes.js";
import { mountCorrelated } from "./correlated.js";
import { mountGeometry } from "./geometry.js";
import { mountGroups } from "./groups.js";
import { mountKink } from "./kink.js";
import { mountNn } from "./nn.js";
import { mountPaths } from "./paths.js";
import { mountSurvival } from "./survival.js";
import { mountTheory } from "./theory.js";

/** The lab's panels; each mounts itself into the main element. */
const PANELS: { id: string; title: string; mount: (root: HTMLElement) => void }[] = [
  { id: "geometry", title: "1 · Geometry", mount: mountGeometry },
  { id: "kink", title: "2 · Optimizers at the kink", mount: mountKink },
  { id: "paths", title: "3 · Paths on real data", mount: mountPaths },
  { id: "correlated", title: "4 · Correlated features", mount: mountCorrelated },
  { id: "nn", title: "5 · Neural networks", mount: mountNn },
  { id: "theory", title: "6 · Early stopping, bias–variance", mount: mountTheory },
  { id: "groups", title: "7 · Groups", mount: mountGroups },
  { id: "bayes", title: "8 · The Bayesian view", mount: mountBayes },
  { id: "survival", title: "9 · Survival", mount: mountSurvival },
];

const tabs = document.getElementById("tabs")!;
const main = document.getElementById("panel")!;

function show(id: string): void {
  const panel = PANELS.find((p) => p.id === id) ?? PANELS[0];
  for (const b of tabs.querySelectorAll("button"))
    b.setAttribute("aria-selected", String(b.dataset.panel === panel.id));
  main.dataset.panel = panel.id;
  panel.mount(main);
  if (location.hash !== `#${panel.id}`) history.replaceState(null, "", `#${panel.id}`);
}

for (const p of PANELS) {
  const b = document.createElement("button");
  b.type = "button";
  b.role = "tab";
  b.dataset.panel = p.id;
  b.textContent = p.title;
  b.addEventListener("click", () => show(p.id));
  tabs.appendChild(b);
}
show(location.hash.slice(1));
window.addEventListener("hashchange", () => {
  if (main.dataset.panel !== location.hash.slice(1)) show(location.hash.slice(1));
});

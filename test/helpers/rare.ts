import { Random } from "../../src/random.js";

/**
 * 200 binomial rows { a, b, c, y } whose feature c is 1 in twelve rows of class 0 only: once
 * MCP's flat part holds c, the loss keeps falling as its coefficient grows, so the small-λ points
 * of an MCP path have no minimizer (the case the path's warnings must name).
 */
export function rareFeatureRows(): { a: number; b: number; c: number; y: number }[] {
  const rng = new Random(5);
  const rows: { a: number; b: number; c: number; y: number }[] = [];
  let rare = 0;
  for (let i = 0; i < 200; i++) {
    const a = rng.normal();
    const b = rng.normal();
    const y = rng.uniform() < 1 / (1 + Math.exp(-0.8 * a)) ? 1 : 0;
    const c = y === 0 && rare < 12 ? (rare++, 1) : 0;
    rows.push({ a, b, c, y });
  }
  return rows;
}

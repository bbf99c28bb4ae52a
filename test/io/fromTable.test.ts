import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { tableFromArrays } from "apache-arrow";
import { cvPath, fromTable, tableMatrix } from "../../src/index.js";
import { csvRecords, ROOT } from "../helpers/fixtures.js";

// The diabetes CSV as d3.csvParse gives it: row objects of strings.
const { header, rows } = csvRecords("diabetes");
const lines = readFileSync(join(ROOT, "data", "diabetes.csv"), "utf8")
  .trim()
  .split(/\r?\n/);
const target = header[header.length - 1];
const n = rows.length;
const p = header.length - 1;
const number = (i: number, j: number) => Number(lines[i + 1].split(",")[j]);

describe("fromTable: JavaScript tables in", () => {
  it("row objects of strings (d3-dsv): the numbers of the CSV, the target apart", () => {
    const d = fromTable(rows, { target });
    assert.deepEqual(d.features, header.slice(0, p));
    assert.equal(d.x.nRows, n);
    for (let j = 0; j < p; j++)
      for (let i = 0; i < n; i += 37) assert.equal(d.x.data[j * n + i], number(i, j));
    assert.deepEqual(
      Array.from(d.y.subarray(0, 5)),
      [0, 1, 2, 3, 4].map((i) => number(i, p)),
    );
    assert.deepEqual(d.constant, []);
  });

  it("an object of columns, an Arrow table, an Arquero-shaped table and rows as arrays: the same design", () => {
    const base = fromTable(rows, { target });
    const columns = Object.fromEntries(
      header.map((h, j) => [h, Float64Array.from({ length: n }, (_, i) => number(i, j))]),
    );
    const arrow = tableFromArrays(columns);
    // Arquero's table API (columnNames, array): what fromTable reads of it.
    const arquero = { columnNames: () => header, array: (c: string) => columns[c] };
    const arrays = Array.from({ length: n }, (_, i) => header.map((_, j) => number(i, j)));
    for (const [what, d] of [
      ["columns", fromTable(columns, { target })],
      ["arrow", fromTable(arrow, { target })],
      ["arquero", fromTable(arquero, { target })],
      ["arrays", fromTable(arrays, { target, names: header })],
    ] as const) {
      assert.deepEqual(d.features, base.features, what);
      assert.deepEqual(Array.from(d.x.data), Array.from(base.x.data), what);
      assert.deepEqual(Array.from(d.y), Array.from(base.y), what);
    }
  });

  it("a 5-fold CV lasso from row objects gives the λ_min of the same numbers as arrays", async () => {
    const d = fromTable(rows, { target });
    const a = await cvPath(d.x, d.y, { nFolds: 5, seed: 3 });
    const arrays = Array.from({ length: n }, (_, i) => header.map((_, j) => number(i, j)));
    const e = fromTable(arrays, { target, names: header });
    const b = await cvPath(e.x, e.y, { nFolds: 5, seed: 3 });
    assert.equal(a.lambdaMin, b.lambdaMin);
  });

  it("text features one-hot with categorical auto (else an error naming row and column); text targets as classes", () => {
    const t = [
      { x: 1, sex: "F", smoker: "yes", y: "sick" },
      { x: 2, sex: "M", smoker: "no", y: "well" },
      { x: 3, sex: "F", smoker: "no", y: "well" },
      { x: 5, sex: "M", smoker: "yes", y: "sick" },
    ];
    assert.throws(
      () => fromTable(t, { target: "y" }),
      /table: row 1, column 'sex': value 'F' is not numeric \(categorical: 'auto' one-hot encodes text columns; `features` leaves a column out\)/,
    );
    const d = fromTable(t, { target: "y", categorical: "auto" });
    assert.deepEqual(d.features, ["x", "sex=F", "sex=M", "smoker=no", "smoker=yes"]);
    assert.deepEqual(d.classes, ["sick", "well"]);
    assert.deepEqual(Array.from(d.y), [0, 1, 1, 0]);
    const pos = fromTable(t, { target: "y", categorical: "auto", positive: "sick" });
    assert.deepEqual(Array.from(pos.y), [1, 0, 0, 1]);
    assert.deepEqual(pos.classes, ["well", "sick"]);
    // The model's encodings on new rows: same columns, a new level refused by row.
    const xNew = tableMatrix([{ x: 9, sex: "M", smoker: "no" }], d);
    assert.deepEqual(Array.from(xNew.data), [9, 0, 1, 1, 0]);
    assert.throws(
      () => tableMatrix([{ x: 1, sex: "X", smoker: "no" }], d),
      /row 1, column 'sex': the value 'X' was never seen/,
    );
  });

  it("missing cells: an error naming the row, or drop / mean; constant columns listed; bad options", () => {
    const t = [
      { a: 1, b: 5, c: 1, y: 1 },
      { a: null, b: 6, c: 1, y: 2 },
      { a: 3, b: Number.NaN, c: 1, y: 3 },
      { a: 4, b: 8, c: 1, y: 4 },
    ];
    assert.throws(
      () => fromTable(t, { target: "y" }),
      /table: row 2, column 'a': missing value \(choose missing: 'drop' or 'mean'\)/,
    );
    const drop = fromTable(t, { target: "y", missing: "drop" });
    assert.deepEqual(drop.droppedRows, [1, 2]);
    assert.deepEqual(Array.from(drop.y), [1, 4]);
    const mean = fromTable(t, { target: "y", missing: "mean" });
    assert.equal(mean.x.data[1], (1 + 3 + 4) / 3);
    assert.deepEqual(mean.constant, ["c"]);
    assert.throws(() => fromTable(t, { target: "z" }), /option 'target': no column 'z'/);
    assert.throws(() => fromTable(t, { target: "y", features: ["y"] }), /'y' is the target/);
    assert.throws(() => fromTable([[1, 2]], { target: "y" }), /option 'names'/);
    assert.throws(
      () => fromTable([{ a: new Date(), y: 1 }], { target: "y" }),
      /row 1, column 'a': a date is neither a number nor text/,
    );
  });
});

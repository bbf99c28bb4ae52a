import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { csrMatrix, denseFromRows, denseToCsc, type CscMatrix } from "../../src/data/matrix.js";
import { InputError } from "../../src/errors.js";
import { readMatrixMarket, readSvmlight, sparseFormatOf } from "../../src/io/sparseText.js";

const dir = mkdtempSync(join(tmpdir(), "regularize-sparse-"));
let count = 0;
function file(text: string, ext = ".svm"): string {
  const f = join(dir, `f${count++}${ext}`);
  writeFileSync(f, text);
  return f;
}

/** Row-major dense rows of a CSC matrix (the brute-force view the readers must match). */
function rows(x: CscMatrix): number[][] {
  const out = Array.from({ length: x.nRows }, () => new Array<number>(x.nCols).fill(0));
  for (let j = 0; j < x.nCols; j++)
    for (let k = x.colPtr[j]; k < x.colPtr[j + 1]; k++) out[x.rowIndex[k]][j] = x.values[k];
  return out;
}

function refuses(f: () => unknown, pattern: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes("\n"), "one line");
    return true;
  });
}

describe("svmlight / libsvm reader", () => {
  it("reads labels, 1-based indices, comments, blank lines, CRLF and explicit zeros", () => {
    const f = file("# a header comment\n+1 1:0.5 3:2\r\n\n-1 2:1.5e-1 # trailing\n0 4:0 5:-3\n");
    const { x, labels } = readSvmlight(f);
    assert.deepEqual(labels, ["+1", "-1", "0"]);
    assert.equal(x.nCols, 5);
    assert.deepEqual(rows(x), [
      [0.5, 0, 2, 0, 0],
      [0, 0.15, 0, 0, 0],
      [0, 0, 0, 0, -3],
    ]);
    assert.equal(x.values.length, 4); // the explicit 0 is not stored
  });

  it("reads a file larger than one 16 MiB chunk, lines split across chunks", () => {
    const line =
      "1 " + Array.from({ length: 200 }, (_, j) => `${j + 1}:${(j % 7) + 0.25}`).join(" ");
    const n = 9000; // ≈ 19 MB
    const { x, labels } = readSvmlight(file(Array(n).fill(line).join("\n")));
    assert.equal(labels.length, n);
    assert.equal(x.nCols, 200);
    assert.equal(x.values.length, n * 200);
    const last = rows(x)[n - 1];
    assert.equal(last[199], (199 % 7) + 0.25);
  });

  it("refuses each malformed line by file and line number", () => {
    refuses(
      () => readSvmlight(file("1 0:1\n")),
      /line 1: index '0' .*1-based; this file may be 0-based/,
    );
    refuses(() => readSvmlight(file("1 1:1\n1 3:1 2:1\n")), /line 2: index 2 comes after 3/);
    refuses(() => readSvmlight(file("1 2:1 2:3\n")), /line 1: index 2 appears twice/);
    refuses(
      () => readSvmlight(file("1 2:abc\n")),
      /line 1: value 'abc' of index 2 is not a finite number/,
    );
    refuses(() => readSvmlight(file("1 2:\n")), /value '' of index 2/);
    refuses(() => readSvmlight(file("1 qid:3 1:1\n")), /qid/);
    refuses(() => readSvmlight(file("1:2 3:4\n")), /not a label/);
    refuses(() => readSvmlight(file("yes 1:1\n")), /label 'yes' is not a finite number/);
    refuses(() => readSvmlight(file("1 x1\n")), /'x1' is not index:value/);
    refuses(() => readSvmlight(file("# only a comment\n")), /no data lines/);
    refuses(() => readSvmlight(join(dir, "missing.svm")), /no such file/);
  });
});

describe("Matrix Market reader", () => {
  const labels = file("a\nb\na\n", ".txt");

  it("reads coordinate real entries in any order, and pattern files", () => {
    const f = file(
      "%%MatrixMarket matrix coordinate real general\n% comment\n3 4 4\n3 1 2.5\n1 2 1\n1 1 -1\n2 4 7\n",
      ".mtx",
    );
    const { x, labels: l } = readMatrixMarket(f, labels);
    assert.deepEqual(l, ["a", "b", "a"]);
    assert.deepEqual(rows(x), [
      [-1, 1, 0, 0],
      [0, 0, 0, 7],
      [2.5, 0, 0, 0],
    ]);
    const pat = file("%%MatrixMarket matrix coordinate pattern general\n3 2 2\n1 2\n3 1\n", ".mtx");
    assert.deepEqual(rows(readMatrixMarket(pat, labels).x), [
      [0, 1],
      [0, 0],
      [1, 0],
    ]);
  });

  it("refuses what a design cannot be, by name", () => {
    const mm = (body: string) => file(body, ".mtx");
    refuses(() => readMatrixMarket(mm("3 4 1\n1 1 1\n"), labels), /not a Matrix Market file/);
    refuses(
      () =>
        readMatrixMarket(
          mm("%%MatrixMarket matrix coordinate real symmetric\n3 3 1\n1 1 1\n"),
          labels,
        ),
      /symmetry 'symmetric'/,
    );
    refuses(
      () =>
        readMatrixMarket(mm("%%MatrixMarket matrix array real general\n3 1\n1\n2\n3\n"), labels),
      /layout 'array'/,
    );
    refuses(
      () =>
        readMatrixMarket(
          mm("%%MatrixMarket matrix coordinate complex general\n3 1 1\n1 1 1 0\n"),
          labels,
        ),
      /field 'complex'/,
    );
    const head = "%%MatrixMarket matrix coordinate real general\n";
    refuses(
      () => readMatrixMarket(mm(head + "3 4 2\n1 1 1\n"), labels),
      /1 entries, but the size line declares 2/,
    );
    refuses(
      () => readMatrixMarket(mm(head + "3 4 1\n4 1 1\n"), labels),
      /line 3: row '4' is not between 1 and 3/,
    );
    refuses(
      () => readMatrixMarket(mm(head + "3 4 1\n1 5 1\n"), labels),
      /column '5' is not between 1 and 4/,
    );
    refuses(
      () => readMatrixMarket(mm(head + "3 4 1\n1 1 NaN\n"), labels),
      /value 'NaN' is not a finite number/,
    );
    refuses(
      () => readMatrixMarket(mm(head + "3 4 2\n2 2 1\n2 2 5\n"), labels),
      /entry \(2, 2\) appears twice/,
    );
    refuses(
      () => readMatrixMarket(mm(head + "3 4 1\n1 1 1\n2 2 2\n"), labels),
      /more entries than the 1/,
    );
    refuses(
      () => readMatrixMarket(mm(head + "3 4\n"), labels),
      /size line must be 'rows columns entries'/,
    );
    refuses(
      () => readMatrixMarket(mm(head + "2 2 1\n1 1 1\n"), labels),
      /has 3 labels, but .* has 2 rows/,
    );
  });

  it("knows the formats by extension", () => {
    assert.equal(sparseFormatOf("a.svm"), "svmlight");
    assert.equal(sparseFormatOf("a.LIBSVM"), "svmlight");
    assert.equal(sparseFormatOf("a.svmlight"), "svmlight");
    assert.equal(sparseFormatOf("a.mtx"), "mtx");
    assert.equal(sparseFormatOf("a.csv"), null);
  });
});

describe("csrMatrix", () => {
  it("stores CSR input as the CSC matrix of the same rows (columns in any order within a row)", () => {
    const x = csrMatrix(
      3,
      4,
      Int32Array.of(0, 2, 2, 5),
      Int32Array.of(3, 0, 1, 3, 2),
      Float64Array.of(1, 2, 3, 4, 5),
    );
    assert.deepEqual(rows(x), [
      [2, 0, 0, 1],
      [0, 0, 0, 0],
      [0, 3, 5, 4],
    ]);
    assert.deepEqual(x, denseToCsc(denseFromRows(rows(x))));
  });

  it("refuses a malformed CSR matrix by name", () => {
    refuses(
      () => csrMatrix(2, 2, Int32Array.of(0, 1), Int32Array.of(0), Float64Array.of(1)),
      /rowPtr must have nRows\+1/,
    );
    refuses(
      () => csrMatrix(1, 2, Int32Array.of(0, 2), Int32Array.of(1, 1), Float64Array.of(1, 2)),
      /row 0 has column 1 twice/,
    );
    refuses(
      () => csrMatrix(1, 2, Int32Array.of(0, 1), Int32Array.of(2), Float64Array.of(1)),
      /column index 2 of row 0 is not in \[0, 2\)/,
    );
    refuses(
      () => csrMatrix(1, 2, Int32Array.of(0, 1), Int32Array.of(0, 1), Float64Array.of(1)),
      /colIndex and values/,
    );
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Random } from "../../src/index.js";
import { binomial } from "../../src/datafit/binomial.js";
import { poisson } from "../../src/datafit/poisson.js";
import { createHeap, passKernel } from "../../src/wasm/heap.js";

describe("dense kernels (WebAssembly SIMD and plain JS)", () => {
  const rng = new Random(42);
  for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 31, 100, 1001]) {
    it(`dot and axpy agree with a direct loop for n = ${n}`, () => {
      const wasm = createHeap(3 * n + 3, "wasm");
      const js = createHeap(3 * n + 3, "js");
      for (let i = 0; i < wasm.f64.length; i++) wasm.f64[i] = js.f64[i] = rng.normal();
      // offsets 1 and n + 2 exercise unaligned-to-16-bytes starts
      const a = 1;
      const b = n + 2;
      let direct = 0;
      for (let i = 0; i < n; i++) direct += wasm.f64[a + i] * wasm.f64[b + i];
      const tol = 1e-13 * (n + 1);
      assert.ok(Math.abs(wasm.dot(a, b, n) - direct) <= tol);
      assert.ok(Math.abs(js.dot(a, b, n) - direct) <= tol);
      const expect = Array.from({ length: n }, (_, i) => wasm.f64[b + i] - 0.37 * wasm.f64[a + i]);
      wasm.axpy(a, b, 0.37, n);
      js.axpy(a, b, 0.37, n);
      for (let i = 0; i < n; i++) {
        assert.equal(wasm.f64[b + i], expect[i]);
        assert.equal(js.f64[b + i], expect[i]);
      }
      // nothing past the end is touched
      assert.equal(wasm.f64[b + n], js.f64[b + n]);
    });
  }

  for (const [n, count] of [
    [1, 1],
    [3, 5],
    [8, 4],
    [9, 7],
    [100, 13],
    [0, 3],
  ]) {
    it(`rowdots (one vector against ${count} columns of length ${n}) agrees with dot`, () => {
      const heap = createHeap(n * (count + 1) + count + 2, "wasm");
      const kernel = passKernel(heap)!;
      for (let i = 0; i < n * (count + 1); i++) heap.f64[i] = rng.normal();
      const out = n * (count + 1) + 1;
      heap.f64[out + count] = 12345;
      kernel.rowdots(0, n, count, n, out);
      for (let k = 0; k < count; k++) {
        let direct = 0;
        for (let i = 0; i < n; i++) direct += heap.f64[i] * heap.f64[n + k * n + i];
        assert.ok(Math.abs(heap.f64[out + k] - direct) <= 1e-13 * (n + 1), `column ${k}`);
      }
      assert.equal(heap.f64[out + count], 12345, "nothing past the end is written");
    });
  }

  for (const [n, count] of [
    [1, 1],
    [3, 5],
    [9, 7],
    [100, 13],
    [0, 3],
  ]) {
    it(`rowdots2 (two vectors against ${count} columns of length ${n}) agrees with dot`, () => {
      const heap = createHeap(n * (count + 2) + 2 * count + 2, "wasm");
      const kernel = passKernel(heap)!;
      for (let i = 0; i < n * (count + 2); i++) heap.f64[i] = rng.normal();
      const out0 = n * (count + 2);
      const out1 = out0 + count + 1;
      heap.f64[out0 + count] = 12345;
      kernel.rowdots2(0, n, 2 * n, count, n, out0, out1);
      for (let k = 0; k < count; k++)
        for (const [a, out] of [
          [0, out0],
          [n, out1],
        ]) {
          let direct = 0;
          for (let i = 0; i < n; i++) direct += heap.f64[a + i] * heap.f64[2 * n + k * n + i];
          assert.ok(Math.abs(heap.f64[out + k] - direct) <= 1e-13 * (n + 1), `column ${k}`);
        }
      assert.equal(heap.f64[out0 + count], 12345, "nothing past the end is written");
    });
  }

  /**
   * A heap holding p = count + 3 random columns of length n, then r, the results and the i32
   * list of `count` columns (every other column, in reverse: the list decides which and where).
   */
  const listed = (n: number, count: number) => {
    const p = count + 3;
    const heap = createHeap(n * (p + 1) + p + count + 2, "wasm");
    const kernel = passKernel(heap)!;
    for (let i = 0; i < n * (p + 1); i++) heap.f64[i] = rng.normal();
    const r = n * p;
    const g = n * (p + 1);
    const listOff = 2 * (g + p); // i32 index just past the results
    const cols = Array.from({ length: count }, (_, t) => p - 1 - ((2 * t) % p));
    cols.forEach((j, t) => (kernel.i32[listOff + t] = j));
    return { heap, kernel, r, g, listOff, cols };
  };

  for (const [n, count] of [
    [1, 1],
    [3, 5],
    [6, 4],
    [9, 7],
    [100, 13],
    [101, 9],
    [0, 4],
  ]) {
    it(`grads (${count} listed columns of length ${n}, four per sweep) equals dot bit for bit`, () => {
      const { heap, kernel, r, g, listOff, cols } = listed(n, count);
      kernel.grads(listOff, count, 0, n, r, g);
      for (const j of cols) assert.equal(heap.f64[g + j], heap.dot(j * n, r, n), `column ${j}`);
    });
  }

  for (const [n, count] of [
    [1, 1],
    [3, 5],
    [9, 7],
    [100, 13],
    [0, 4],
  ]) {
    it(`grads4 (${count} listed columns of length ${n} against one vector) agrees with dot`, () => {
      const { heap, kernel, r, g, listOff, cols } = listed(n, count);
      kernel.grads4(listOff, count, 0, n, r, g);
      for (const j of cols) {
        let direct = 0;
        for (let i = 0; i < n; i++) direct += heap.f64[j * n + i] * heap.f64[r + i];
        assert.ok(Math.abs(heap.f64[g + j] - direct) <= 1e-13 * (n + 1), `column ${j}`);
      }
    });
  }

  for (const [n, count, kp] of [
    [1, 4, 2],
    [3, 8, 4],
    [10, 4, 6],
    [101, 12, 10],
    [0, 4, 2],
  ]) {
    it(`gradsk (${count} listed columns of length ${n} against ${kp} class vectors) agrees with dot`, () => {
      const p = count + 3;
      // [X (n·p) | R (kp·n) | out (count·kp) | list (i32)]
      const heap = createHeap(n * (p + kp) + count * kp + count / 2 + 2, "wasm");
      const kernel = passKernel(heap)!;
      for (let i = 0; i < n * (p + kp); i++) heap.f64[i] = rng.normal();
      const r = n * p;
      const out = r + kp * n;
      heap.f64.fill(NaN, out, out + count * kp);
      const listOff = 2 * (out + count * kp);
      // Columns out of order, one repeated (the caller's padding).
      const cols = Array.from({ length: count }, (_, t) =>
        t === count - 1 ? 0 : p - 1 - ((2 * t) % p),
      );
      cols.forEach((j, t) => (kernel.i32[listOff + t] = j));
      kernel.gradsk(listOff, count, 0, n, r, kp, out);
      cols.forEach((j, t) => {
        for (let c = 0; c < kp; c++) {
          let direct = 0;
          for (let i = 0; i < n; i++) direct += heap.f64[j * n + i] * heap.f64[r + c * n + i];
          const got = heap.f64[out + t * kp + c];
          assert.ok(
            Math.abs(got - direct) <= 1e-13 * (n + 1),
            `column ${j}, class ${c}: ${got} vs ${direct}`,
          );
        }
      });
    });
  }

  for (const [n, count] of [
    [1, 1],
    [3, 5],
    [9, 7],
    [100, 13],
    [0, 4],
  ]) {
    it(`axpys (${count} listed columns of length ${n}) is bit for bit repeated axpy`, () => {
      const p = count + 3;
      // [X (n·p) | y (n) | y again (n) | alphas (count) | list (i32)]
      const heap = createHeap(n * (p + 2) + count + count / 2 + 2, "wasm");
      const kernel = passKernel(heap)!;
      for (let i = 0; i < n * (p + 1); i++) heap.f64[i] = rng.normal();
      const y = n * p;
      const y2 = y + n;
      heap.f64.copyWithin(y2, y, y + n);
      const alpha = y2 + n;
      const listOff = 2 * (alpha + count);
      const cols = Array.from({ length: count }, (_, t) => p - 1 - ((2 * t) % p));
      cols.forEach((j, t) => {
        kernel.i32[listOff + t] = j;
        heap.f64[alpha + t] = rng.normal();
      });
      kernel.axpys(listOff, alpha, count, 0, n, y);
      cols.forEach((j, t) => heap.axpy(j * n, y2, heap.f64[alpha + t], n));
      for (let i = 0; i < n; i++) assert.equal(heap.f64[y + i], heap.f64[y2 + i], `row ${i}`);
    });
  }

  it("sum agrees with a direct loop to rounding, for every length mod 4", () => {
    for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 101]) {
      const heap = createHeap(n + 1, "wasm");
      const kernel = passKernel(heap)!;
      let direct = 0;
      let abs = 0;
      for (let i = 0; i < n; i++) {
        heap.f64[i] = rng.normal();
        direct += heap.f64[i];
        abs += Math.abs(heap.f64[i]);
      }
      heap.f64[n] = 1e300; // past the end: must not be read
      assert.ok(Math.abs(kernel.sum(0, n) - direct) <= 1e-15 * (abs + 1) * (n + 1), `n = ${n}`);
      if (n === 1) assert.equal(kernel.sum(0, n), heap.f64[0]);
    }
  });

  /** |a − b| in units of b's last place. */
  const ulps = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / (Math.abs(b) * 2 ** -52));

  it("SIMD exp and log are within one unit in the last place of Math.exp and Math.log", () => {
    const m = 4096;
    const heap = createHeap(2 * m, "wasm");
    const kernel = passKernel(heap)!;
    const cases: [string, "exp" | "log", () => number, (x: number) => number][] = [
      ["exp on [−700, 700]", "exp", () => (rng.uniform() - 0.5) * 1400, Math.exp],
      ["exp on [−1, 1]", "exp", () => rng.uniform() * 2 - 1, Math.exp],
      ["exp near 0", "exp", () => (rng.uniform() - 0.5) * 1e-12, Math.exp],
      ["log over 600 decades", "log", () => Math.exp((rng.uniform() - 0.5) * 1400), Math.log],
      ["log near 1", "log", () => 1 + (rng.uniform() - 0.5) * 1e-3, Math.log],
      ["log on (0, 1)", "log", () => rng.uniform() + 1e-300, Math.log],
    ];
    for (const [name, op, draw, ref] of cases) {
      for (let i = 0; i < m; i++) heap.f64[i] = draw();
      kernel.vmap(op, 0, m, m);
      let worst = 0;
      for (let i = 0; i < m; i++) worst = Math.max(worst, ulps(heap.f64[m + i], ref(heap.f64[i])));
      assert.ok(worst <= 1, `${name}: ${worst} ulps`);
    }
    // the edges: exp overflows to +∞ past log(MAX_VALUE), stops at e^−708 below, exact at 0
    const edge = [0, -708, 709, 709.79, 1000, -1000];
    edge.forEach((x, i) => (heap.f64[i] = x));
    kernel.vmap("exp", 0, m, edge.length);
    assert.deepEqual(Array.from(heap.f64.subarray(m, m + edge.length)), [
      1,
      Math.exp(-708),
      Math.exp(709),
      Infinity,
      Infinity,
      Math.exp(-708),
    ]);
  });

  for (const n of [1, 2, 7, 1000]) {
    it(`binomial and Poisson evaluations in SIMD agree with the families' own (n = ${n})`, () => {
      const st = n + (n & 1);
      const heap = createHeap(6 * st, "wasm");
      const kernel = passKernel(heap)!;
      const f = heap.f64;
      const eta = new Float64Array(n);
      const y = new Float64Array(n);
      const w = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        // a few far past the 1e-9 clamp, both signs
        eta[i] = i % 50 === 3 ? (rng.uniform() - 0.5) * 80 : rng.normal() * 3;
        y[i] = rng.uniform() < 0.5 ? 1 : rng.uniform() < 0.5 ? 0 : rng.uniform();
        w[i] = rng.uniform() / n;
      }
      for (const fam of [binomial, poisson]) {
        const yy = fam === poisson ? y.map((v) => Math.round(5 * v)) : y;
        f.fill(0);
        f.set(eta, 0);
        f.set(yy, st);
        f.set(w, 2 * st);
        const mu = new Float64Array(n);
        const res = new Float64Array(n);
        const loss = fam.evaluate(yy, w, eta, mu, res);
        const got = kernel.evaluate(fam.name, 0, st, 2 * st, 3 * st, 4 * st, st);
        assert.ok(
          Math.abs(got - loss) <= 1e-14 * Math.abs(loss),
          `${fam.name} loss ${got} vs ${loss}`,
        );
        for (let i = 0; i < n; i++) {
          assert.ok(ulps(f[3 * st + i], mu[i]) <= 2, `${fam.name} μ at ${i}`);
          assert.ok(
            Math.abs(f[4 * st + i] - res[i]) <= 1e-15 * w[i],
            `${fam.name} residual at ${i}`,
          );
        }
        let dev = 0;
        for (let i = 0; i < n; i++) dev += w[i] * fam.deviance(yy[i], mu[i]);
        const d = kernel.deviance(fam.name, st, 2 * st, 3 * st, st);
        assert.ok(Math.abs(d - dev) <= 1e-14 * dev, `${fam.name} deviance ${d} vs ${dev}`);
        kernel.irlsRoots(fam.name, 3 * st, 2 * st, 5 * st, st);
        for (let i = 0; i < n; i++) {
          const want = Math.sqrt(w[i] * Math.max(fam.variance(f[3 * st + i]), 1e-10));
          assert.ok(ulps(f[5 * st + i], want) <= 1, `${fam.name} IRLS weight at ${i}`);
        }
      }
      // scale: x ← x∘v, nothing past n touched
      f[n] = 7;
      const x0 = Array.from(f.subarray(0, n));
      kernel.scale(0, 2 * st, n);
      for (let i = 0; i < n; i++) assert.equal(f[i], x0[i] * w[i]);
      if (n & 1) assert.equal(f[n], 7);
    });
  }

  it("the binomial conjugate sum (binomgap) agrees with a direct loop, NaN outside [0, 1]", () => {
    const n = 1001;
    const st = n + 1;
    const heap = createHeap(3 * st, "wasm");
    const kernel = passKernel(heap)!;
    const f = heap.f64;
    for (let i = 0; i < n; i++) {
      f[i] = i % 3 === 0 ? 1 : i % 3 === 1 ? 0 : rng.uniform();
      f[st + i] = i % 7 === 0 ? 0 : rng.uniform();
      f[2 * st + i] = i % 11 === 0 ? 1e-9 : 0.99 * rng.uniform() + 1e-3;
    }
    const H = (v: number) =>
      (v > 0 ? v * Math.log(v) : 0) + (v < 1 ? (1 - v) * Math.log(1 - v) : 0);
    for (const [s, shift] of [
      [1, 0],
      [0.37, 0],
      [0, 0],
      [0.5, 1e-3],
    ]) {
      let direct = 0;
      for (let i = 0; i < n; i++)
        direct += f[st + i] * H((1 - s) * f[i] + s * (f[2 * st + i] + shift));
      const got = kernel.entropy("binomial", 0, st, 2 * st, st, s, shift);
      assert.ok(Math.abs(got - direct) <= 1e-13 * Math.abs(direct), `s=${s}: ${got} vs ${direct}`);
    }
    // a mixture outside [0, 1] with non-zero weight: NaN; with zero weight it is ignored
    f[2 * st + 5] = 2;
    f[st + 5] = 0.3;
    assert.ok(Number.isNaN(kernel.entropy("binomial", 0, st, 2 * st, st, 1, 0)));
    f[st + 5] = 0;
    assert.ok(Number.isFinite(kernel.entropy("binomial", 0, st, 2 * st, st, 1, 0)));
  });

  it("the Poisson conjugate sum (poisgap) agrees with a direct loop, NaN below 0", () => {
    const n = 1001;
    const st = n + 1;
    const heap = createHeap(3 * st, "wasm");
    const kernel = passKernel(heap)!;
    const f = heap.f64;
    for (let i = 0; i < n; i++) {
      f[i] = i % 3 === 0 ? 0 : Math.floor(8 * rng.uniform());
      f[st + i] = i % 7 === 0 ? 0 : rng.uniform();
      f[2 * st + i] = i % 11 === 0 ? 1e-300 : 5 * rng.uniform() + 1e-3;
    }
    const H = (v: number) => (v > 0 ? v * Math.log(v) : 0) - v;
    for (const [s, shift] of [
      [1, 0],
      [0.37, 0],
      [0, 0],
      [0.5, 1e-3],
    ]) {
      let direct = 0;
      for (let i = 0; i < n; i++)
        direct += f[st + i] * H((1 - s) * f[i] + s * (f[2 * st + i] + shift));
      const got = kernel.entropy("poisson", 0, st, 2 * st, st, s, shift);
      assert.ok(Math.abs(got - direct) <= 1e-13 * Math.abs(direct), `s=${s}: ${got} vs ${direct}`);
    }
    // a mixture below 0 with non-zero weight: NaN; with zero weight it is ignored
    f[2 * st + 5] = -2;
    f[5] = 0;
    f[st + 5] = 0.3;
    assert.ok(Number.isNaN(kernel.entropy("poisson", 0, st, 2 * st, st, 1, 0)));
    f[st + 5] = 0;
    assert.ok(Number.isFinite(kernel.entropy("poisson", 0, st, 2 * st, st, 1, 0)));
  });

  it("the Poisson deviance (poisdev) is finite at y = 0, even where μ underflows to 0", () => {
    const n = 6;
    const heap = createHeap(3 * n, "wasm");
    const kernel = passKernel(heap)!;
    const f = heap.f64;
    f.set([0, 0, 3, 1, 0, 2], 0);
    f.set([1, 0.5, 1, 2, 1, 0], n);
    f.set([0, 2, 2.5, 1e-300, 7, 0], 2 * n);
    let direct = 0;
    for (let i = 0; i < n; i++)
      if (f[n + i] > 0) direct += f[n + i] * poisson.deviance(f[i], f[2 * n + i]);
    const got = kernel.deviance("poisson", 0, n, 2 * n, n);
    assert.ok(Math.abs(got - direct) <= 1e-14 * Math.abs(direct), `${got} vs ${direct}`);
  });

  it("the Cox risk weights (coxexp) are ws·exp(v − shift) to 2 ulps, 0 weight to 0", () => {
    const n = 1000;
    const heap = createHeap(3 * n, "wasm");
    const kernel = passKernel(heap)!;
    const f = heap.f64;
    for (let i = 0; i < n; i++) {
      f[i] = 60 * rng.normal();
      f[n + i] = i % 9 === 0 ? 0 : rng.uniform();
    }
    const shift = Math.max(...f.subarray(0, n));
    kernel.coxExp(0, n, 2 * n, n, shift);
    for (let i = 0; i < n; i++) {
      const want = f[n + i] * Math.exp(f[i] - shift);
      if (want === 0) assert.equal(f[2 * n + i], 0, `row ${i}`);
      else assert.ok(ulps(f[2 * n + i], want) <= 2, `row ${i}: ${f[2 * n + i]} vs ${want}`);
    }
  });

  it("uses WebAssembly on this runtime", () => {
    assert.equal(createHeap(4).constructor.name, "WasmHeap");
  });
});

// Writes src/wasm/gemm.wat: the two float64 matrix-product kernels of the MLP engine, register
// blocked and unrolled (the unrolled bodies are generated here rather than typed by hand).
// Run: node scripts/gen-gemm.mjs && node scripts/build-wasm.mjs
import { writeFileSync } from "node:fs";

const range = (n) => Array.from({ length: n }, (_, i) => i);
const L = (name) => `(local.get $${name})`;
const set = (name, v) => `(local.set $${name} ${v})`;
const add = (a, b) => `(i32.add ${a} ${b})`;
const vmadd = (acc, a, b) => set(acc, `(f64x2.add ${L(acc)} (f64x2.mul ${a} ${b}))`);
const hsum = (v) => `(f64.add (f64x2.extract_lane 0 ${L(v)}) (f64x2.extract_lane 1 ${L(v)}))`;

/**
 * nt(x, w, bias, y, M, N, K): y[m·N + n] = bias[n] + Σ_k x[m·K + k]·w[n·K + k] (byte pointers) —
 * the forward product x Wᵀ + b of a Dense layer. Blocks of MI rows × NJ columns: MI·NJ
 * accumulators over pairs of k, an odd K's last term added in scalar.
 */
function ntBlock(MI, NJ) {
  const out = [];
  for (const i of range(MI))
    out.push(set(`px${i}`, add(L("x"), `(i32.mul ${add(L("m"), `(i32.const ${i})`)} ${L("Kb")})`)));
  for (const j of range(NJ))
    out.push(set(`pw${j}`, add(L("w"), `(i32.mul ${add(L("n"), `(i32.const ${j})`)} ${L("Kb")})`)));
  for (const i of range(MI))
    for (const j of range(NJ)) out.push(set(`a${i}${j}`, "(v128.const f64x2 0 0)"));
  out.push(set("k", "(i32.const 0)"));
  const body = [];
  for (const i of range(MI)) body.push(set(`xv${i}`, `(v128.load ${add(L(`px${i}`), L("k"))})`));
  for (const j of range(NJ)) body.push(set(`wv${j}`, `(v128.load ${add(L(`pw${j}`), L("k"))})`));
  for (const i of range(MI))
    for (const j of range(NJ)) body.push(vmadd(`a${i}${j}`, L(`xv${i}`), L(`wv${j}`)));
  body.push(set("k", add(L("k"), "(i32.const 16)")));
  out.push(
    `(block $kd (loop $kl (br_if $kd (i32.ge_u ${L("k")} ${L("K2b")})) ${body.join(" ")} (br $kl)))`,
  );
  for (const i of range(MI))
    for (const j of range(NJ)) {
      const yaddr = `(i32.add ${L("y")} (i32.shl (i32.add (i32.mul (i32.add ${L("m")} (i32.const ${i})) ${L("N")}) (i32.add ${L("n")} (i32.const ${j}))) (i32.const 3)))`;
      out.push(set("s", hsum(`a${i}${j}`)));
      out.push(
        `(if ${L("odd")} (then ${set("s", `(f64.add ${L("s")} (f64.mul (f64.load ${add(L(`px${i}`), L("K2b"))}) (f64.load ${add(L(`pw${j}`), L("K2b"))})))`)}))`,
      );
      out.push(
        `(f64.store ${yaddr} (f64.add ${L("s")} (f64.load (i32.add ${L("bias")} (i32.shl (i32.add ${L("n")} (i32.const ${j})) (i32.const 3))))))`,
      );
    }
  return out.join("\n      ");
}

function ntFunc() {
  const locals = [
    "(local $m i32) (local $n i32) (local $k i32) (local $Kb i32) (local $K2b i32) (local $odd i32) (local $s f64)",
    ...range(2).map((i) => `(local $px${i} i32) (local $xv${i} v128)`),
    ...range(4).map((j) => `(local $pw${j} i32) (local $wv${j} v128)`),
    ...range(2).flatMap((i) => range(4).map((j) => `(local $a${i}${j} v128)`)),
  ].join(" ");
  const nLoops = (MI) => `
    ${set("n", "(i32.const 0)")}
    (block $n4d (loop $n4 (br_if $n4d (i32.gt_u (i32.add ${L("n")} (i32.const 4)) ${L("N")}))
      ${ntBlock(MI, 4)}
      ${set("n", add(L("n"), "(i32.const 4)"))} (br $n4)))
    (block $n1d (loop $n1 (br_if $n1d (i32.ge_u ${L("n")} ${L("N")}))
      ${ntBlock(MI, 1)}
      ${set("n", add(L("n"), "(i32.const 1)"))} (br $n1)))`;
  return `
  (func (export "nt") (param $x i32) (param $w i32) (param $bias i32) (param $y i32) (param $M i32) (param $N i32) (param $K i32)
    ${locals}
    ${set("Kb", "(i32.shl (local.get $K) (i32.const 3))")}
    ${set("K2b", "(i32.shl (i32.and (local.get $K) (i32.const -2)) (i32.const 3))")}
    ${set("odd", "(i32.and (local.get $K) (i32.const 1))")}
    ${set("m", "(i32.const 0)")}
    (block $m2d (loop $m2 (br_if $m2d (i32.gt_u (i32.add ${L("m")} (i32.const 2)) ${L("M")}))
      ${nLoops(2)}
      ${set("m", add(L("m"), "(i32.const 2)"))} (br $m2)))
    (if (i32.lt_u ${L("m")} ${L("M")}) (then ${nLoops(1)})))`;
}

/**
 * nn(a, sam, sak, b, c, M, N, K, acc): c[m·N + n] (+)= Σ_k a[m·sam + k·sak]·b[k·N + n] — with
 * (sam, sak) = (K, 1) the product A B, with (1, M) the product Aᵀ B. Blocks of MI rows × NV pairs
 * of columns (NV = 0: one column in scalar).
 */
function nnBlock(MI, NV) {
  const out = [];
  const cAddr = (i, v) =>
    `(i32.add ${L("c")} (i32.shl (i32.add (i32.mul (i32.add ${L("m")} (i32.const ${i})) ${L("N")}) (i32.add ${L("n")} (i32.const ${2 * v}))) (i32.const 3)))`;
  for (const i of range(MI))
    out.push(
      set(`pa${i}`, add(L("a"), `(i32.mul ${add(L("m"), `(i32.const ${i})`)} ${L("samb")})`)),
    );
  out.push(set("pb", add(L("b"), `(i32.shl ${L("n")} (i32.const 3))`)));
  if (NV === 0) {
    for (const i of range(MI))
      out.push(
        set(
          `s${i}`,
          `(if (result f64) ${L("acc")} (then (f64.load ${cAddr(i, 0)})) (else (f64.const 0)))`,
        ),
      );
  } else {
    for (const i of range(MI))
      for (const v of range(NV))
        out.push(
          set(
            `c${i}${v}`,
            `(if (result v128) ${L("acc")} (then (v128.load ${cAddr(i, v)})) (else (v128.const f64x2 0 0)))`,
          ),
        );
  }
  out.push(set("k", "(i32.const 0)"));
  const body = [];
  if (NV === 0) {
    body.push(set("bs", `(f64.load ${L("pb")})`));
    for (const i of range(MI))
      body.push(
        set(`s${i}`, `(f64.add ${L(`s${i}`)} (f64.mul (f64.load ${L(`pa${i}`)}) ${L("bs")}))`),
      );
  } else {
    for (const v of range(NV)) body.push(set(`bv${v}`, `(v128.load offset=${16 * v} ${L("pb")})`));
    for (const i of range(MI)) {
      body.push(set(`as${i}`, `(f64x2.splat (f64.load ${L(`pa${i}`)}))`));
      for (const v of range(NV)) body.push(vmadd(`c${i}${v}`, L(`as${i}`), L(`bv${v}`)));
    }
  }
  for (const i of range(MI)) body.push(set(`pa${i}`, add(L(`pa${i}`), L("sakb"))));
  body.push(set("pb", add(L("pb"), L("Nb"))));
  body.push(set("k", add(L("k"), "(i32.const 1)")));
  out.push(
    `(block $kd (loop $kl (br_if $kd (i32.ge_u ${L("k")} ${L("K")})) ${body.join(" ")} (br $kl)))`,
  );
  if (NV === 0) for (const i of range(MI)) out.push(`(f64.store ${cAddr(i, 0)} ${L(`s${i}`)})`);
  else
    for (const i of range(MI))
      for (const v of range(NV)) out.push(`(v128.store ${cAddr(i, v)} ${L(`c${i}${v}`)})`);
  return out.join("\n      ");
}

function nnFunc() {
  const locals = [
    "(local $m i32) (local $n i32) (local $k i32) (local $samb i32) (local $sakb i32) (local $Nb i32) (local $pb i32) (local $bs f64)",
    ...range(4).map((i) => `(local $pa${i} i32) (local $as${i} v128) (local $s${i} f64)`),
    ...range(2).map((v) => `(local $bv${v} v128)`),
    ...range(4).flatMap((i) => range(2).map((v) => `(local $c${i}${v} v128)`)),
  ].join(" ");
  const nLoops = (MI) => `
    ${set("n", "(i32.const 0)")}
    (block $n4d (loop $n4 (br_if $n4d (i32.gt_u (i32.add ${L("n")} (i32.const 4)) ${L("N")}))
      ${nnBlock(MI, 2)}
      ${set("n", add(L("n"), "(i32.const 4)"))} (br $n4)))
    (if (i32.le_u (i32.add ${L("n")} (i32.const 2)) ${L("N")}) (then
      ${nnBlock(MI, 1)}
      ${set("n", add(L("n"), "(i32.const 2)"))}))
    (if (i32.lt_u ${L("n")} ${L("N")}) (then
      ${nnBlock(MI, 0)}))`;
  return `
  (func (export "nn") (param $a i32) (param $sam i32) (param $sak i32) (param $b i32) (param $c i32) (param $M i32) (param $N i32) (param $K i32) (param $acc i32)
    ${locals}
    ${set("samb", "(i32.shl (local.get $sam) (i32.const 3))")}
    ${set("sakb", "(i32.shl (local.get $sak) (i32.const 3))")}
    ${set("Nb", "(i32.shl (local.get $N) (i32.const 3))")}
    ${set("m", "(i32.const 0)")}
    (block $m4d (loop $m4 (br_if $m4d (i32.gt_u (i32.add ${L("m")} (i32.const 4)) ${L("M")}))
      ${nLoops(4)}
      ${set("m", add(L("m"), "(i32.const 4)"))} (br $m4)))
    (block $m1d (loop $m1 (br_if $m1d (i32.ge_u ${L("m")} ${L("M")}))
      ${nLoops(1)}
      ${set("m", add(L("m"), "(i32.const 1)"))} (br $m1))))`;
}

const wat = `;; Generated by scripts/gen-gemm.mjs. Do not edit; regenerate gemm.ts with node scripts/build-wasm.mjs.
;; Float64 matrix products of the MLP engine with 128-bit SIMD; pointers are byte offsets.
(module
  (import "env" "memory" (memory 1))
${ntFunc()}
${nnFunc()})
`;
writeFileSync("src/wasm/gemm.wat", wat);
console.log(`gemm.wat: ${wat.length} characters`);

// Writes src/wasm/gemm.wat: the matrix-product kernels of the MLP engine in float64 (nt, nn) and
// float32 (nt32, nn32), register blocked and unrolled; the packed, cache-blocked float64 product
// (packa, packb, gkern) and the exact ridge path's hat-diagonal kernel (ldlhat). The unrolled
// bodies are generated here rather than typed by hand.
// Run: node scripts/gen-gemm.mjs && node scripts/build-wasm.mjs
import { writeFileSync } from "node:fs";

const range = (n) => Array.from({ length: n }, (_, i) => i);
const L = (name) => `(local.get $${name})`;
const set = (name, v) => `(local.set $${name} ${v})`;
const add = (a, b) => `(i32.add ${a} ${b})`;

/** The element type: scalar type, SIMD shape, lanes per vector, log2 of the element size. */
const F64 = { t: "f64", v: "f64x2", lanes: 2, shift: 3, zero: "(v128.const f64x2 0 0)" };
const F32 = { t: "f32", v: "f32x4", lanes: 4, shift: 2, zero: "(v128.const f32x4 0 0 0 0)" };

const vmadd = (T, acc, a, b) => set(acc, `(${T.v}.add ${L(acc)} (${T.v}.mul ${a} ${b}))`);
const hsum = (T, v) =>
  range(T.lanes)
    .map((l) => `(${T.v}.extract_lane ${l} ${L(v)})`)
    .reduce((a, b) => `(${T.t}.add ${a} ${b})`);
const elt = (T, base, index) => add(base, `(i32.shl ${index} (i32.const ${T.shift}))`);

/**
 * nt(x, w, bias, y, M, N, K): y[m·N + n] = bias[n] + Σ_k x[m·K + k]·w[n·K + k] (byte pointers) —
 * the forward product x Wᵀ + b of a Dense layer. Blocks of MI rows × NJ columns: MI·NJ
 * accumulators over whole vectors of k, the last K mod lanes terms added in scalar.
 */
function ntBlock(T, MI, NJ) {
  const out = [];
  for (const i of range(MI))
    out.push(set(`px${i}`, add(L("x"), `(i32.mul ${add(L("m"), `(i32.const ${i})`)} ${L("Kb")})`)));
  for (const j of range(NJ))
    out.push(set(`pw${j}`, add(L("w"), `(i32.mul ${add(L("n"), `(i32.const ${j})`)} ${L("Kb")})`)));
  for (const i of range(MI)) for (const j of range(NJ)) out.push(set(`a${i}${j}`, T.zero));
  out.push(set("k", "(i32.const 0)"));
  const body = [];
  for (const i of range(MI)) body.push(set(`xv${i}`, `(v128.load ${add(L(`px${i}`), L("k"))})`));
  for (const j of range(NJ)) body.push(set(`wv${j}`, `(v128.load ${add(L(`pw${j}`), L("k"))})`));
  for (const i of range(MI))
    for (const j of range(NJ)) body.push(vmadd(T, `a${i}${j}`, L(`xv${i}`), L(`wv${j}`)));
  body.push(set("k", add(L("k"), "(i32.const 16)")));
  out.push(
    `(block $kd (loop $kl (br_if $kd (i32.ge_u ${L("k")} ${L("Kvb")})) ${body.join(" ")} (br $kl)))`,
  );
  for (const i of range(MI))
    for (const j of range(NJ)) {
      const row = `(i32.add (i32.mul (i32.add ${L("m")} (i32.const ${i})) ${L("N")}) (i32.add ${L("n")} (i32.const ${j})))`;
      out.push(set("s", hsum(T, `a${i}${j}`)));
      // the remaining K mod lanes terms
      out.push(set("k", L("Kvb")));
      out.push(
        `(block $td (loop $tl (br_if $td (i32.ge_u ${L("k")} ${L("Kb")})) ${set("s", `(${T.t}.add ${L("s")} (${T.t}.mul (${T.t}.load ${add(L(`px${i}`), L("k"))}) (${T.t}.load ${add(L(`pw${j}`), L("k"))})))`)} ${set("k", add(L("k"), `(i32.const ${1 << T.shift})`))} (br $tl)))`,
      );
      out.push(
        `(${T.t}.store ${elt(T, L("y"), row)} (${T.t}.add ${L("s")} (${T.t}.load ${elt(T, L("bias"), `(i32.add ${L("n")} (i32.const ${j}))`)})))`,
      );
    }
  return out.join("\n      ");
}

function ntFunc(T, name) {
  const locals = [
    `(local $m i32) (local $n i32) (local $k i32) (local $Kb i32) (local $Kvb i32) (local $s ${T.t})`,
    ...range(2).map((i) => `(local $px${i} i32) (local $xv${i} v128)`),
    ...range(4).map((j) => `(local $pw${j} i32) (local $wv${j} v128)`),
    ...range(2).flatMap((i) => range(4).map((j) => `(local $a${i}${j} v128)`)),
  ].join(" ");
  const nLoops = (MI) => `
    ${set("n", "(i32.const 0)")}
    (block $n4d (loop $n4 (br_if $n4d (i32.gt_u (i32.add ${L("n")} (i32.const 4)) ${L("N")}))
      ${ntBlock(T, MI, 4)}
      ${set("n", add(L("n"), "(i32.const 4)"))} (br $n4)))
    (block $n1d (loop $n1 (br_if $n1d (i32.ge_u ${L("n")} ${L("N")}))
      ${ntBlock(T, MI, 1)}
      ${set("n", add(L("n"), "(i32.const 1)"))} (br $n1)))`;
  return `
  (func (export "${name}") (param $x i32) (param $w i32) (param $bias i32) (param $y i32) (param $M i32) (param $N i32) (param $K i32)
    ${locals}
    ${set("Kb", `(i32.shl (local.get $K) (i32.const ${T.shift}))`)}
    ${set("Kvb", `(i32.shl (i32.and (local.get $K) (i32.const ${-T.lanes})) (i32.const ${T.shift}))`)}
    ${set("m", "(i32.const 0)")}
    (block $m2d (loop $m2 (br_if $m2d (i32.gt_u (i32.add ${L("m")} (i32.const 2)) ${L("M")}))
      ${nLoops(2)}
      ${set("m", add(L("m"), "(i32.const 2)"))} (br $m2)))
    (if (i32.lt_u ${L("m")} ${L("M")}) (then ${nLoops(1)})))`;
}

/**
 * nn(a, sam, sak, b, c, M, N, K, acc): c[m·N + n] (+)= Σ_k a[m·sam + k·sak]·b[k·N + n] — with
 * (sam, sak) = (K, 1) the product A B, with (1, M) the product Aᵀ B. Blocks of MI rows × NV
 * vectors of columns (NV = 0: one column in scalar).
 */
function nnBlock(T, MI, NV) {
  const out = [];
  const cAddr = (i, v) =>
    elt(
      T,
      L("c"),
      `(i32.add (i32.mul (i32.add ${L("m")} (i32.const ${i})) ${L("N")}) (i32.add ${L("n")} (i32.const ${T.lanes * v})))`,
    );
  for (const i of range(MI))
    out.push(
      set(`pa${i}`, add(L("a"), `(i32.mul ${add(L("m"), `(i32.const ${i})`)} ${L("samb")})`)),
    );
  out.push(set("pb", elt(T, L("b"), L("n"))));
  if (NV === 0) {
    for (const i of range(MI))
      out.push(
        set(
          `s${i}`,
          `(if (result ${T.t}) ${L("acc")} (then (${T.t}.load ${cAddr(i, 0)})) (else (${T.t}.const 0)))`,
        ),
      );
  } else {
    for (const i of range(MI))
      for (const v of range(NV))
        out.push(
          set(
            `c${i}${v}`,
            `(if (result v128) ${L("acc")} (then (v128.load ${cAddr(i, v)})) (else ${T.zero}))`,
          ),
        );
  }
  out.push(set("k", "(i32.const 0)"));
  const body = [];
  if (NV === 0) {
    body.push(set("bs", `(${T.t}.load ${L("pb")})`));
    for (const i of range(MI))
      body.push(
        set(
          `s${i}`,
          `(${T.t}.add ${L(`s${i}`)} (${T.t}.mul (${T.t}.load ${L(`pa${i}`)}) ${L("bs")}))`,
        ),
      );
  } else {
    for (const v of range(NV)) body.push(set(`bv${v}`, `(v128.load offset=${16 * v} ${L("pb")})`));
    for (const i of range(MI)) {
      body.push(set(`as${i}`, `(${T.v}.splat (${T.t}.load ${L(`pa${i}`)}))`));
      for (const v of range(NV)) body.push(vmadd(T, `c${i}${v}`, L(`as${i}`), L(`bv${v}`)));
    }
  }
  for (const i of range(MI)) body.push(set(`pa${i}`, add(L(`pa${i}`), L("sakb"))));
  body.push(set("pb", add(L("pb"), L("Nb"))));
  body.push(set("k", add(L("k"), "(i32.const 1)")));
  out.push(
    `(block $kd (loop $kl (br_if $kd (i32.ge_u ${L("k")} ${L("K")})) ${body.join(" ")} (br $kl)))`,
  );
  if (NV === 0) for (const i of range(MI)) out.push(`(${T.t}.store ${cAddr(i, 0)} ${L(`s${i}`)})`);
  else
    for (const i of range(MI))
      for (const v of range(NV)) out.push(`(v128.store ${cAddr(i, v)} ${L(`c${i}${v}`)})`);
  return out.join("\n      ");
}

function nnFunc(T, name) {
  const locals = [
    `(local $m i32) (local $n i32) (local $k i32) (local $samb i32) (local $sakb i32) (local $Nb i32) (local $pb i32) (local $bs ${T.t})`,
    ...range(4).map((i) => `(local $pa${i} i32) (local $as${i} v128) (local $s${i} ${T.t})`),
    ...range(2).map((v) => `(local $bv${v} v128)`),
    ...range(4).flatMap((i) => range(2).map((v) => `(local $c${i}${v} v128)`)),
  ].join(" ");
  const W = T.lanes;
  const nLoops = (MI) => `
    ${set("n", "(i32.const 0)")}
    (block $n2d (loop $n2 (br_if $n2d (i32.gt_u (i32.add ${L("n")} (i32.const ${2 * W})) ${L("N")}))
      ${nnBlock(T, MI, 2)}
      ${set("n", add(L("n"), `(i32.const ${2 * W})`))} (br $n2)))
    (if (i32.le_u (i32.add ${L("n")} (i32.const ${W})) ${L("N")}) (then
      ${nnBlock(T, MI, 1)}
      ${set("n", add(L("n"), `(i32.const ${W})`))}))
    (block $n0d (loop $n0 (br_if $n0d (i32.ge_u ${L("n")} ${L("N")}))
      ${nnBlock(T, MI, 0)}
      ${set("n", add(L("n"), "(i32.const 1)"))} (br $n0)))`;
  return `
  (func (export "${name}") (param $a i32) (param $sam i32) (param $sak i32) (param $b i32) (param $c i32) (param $M i32) (param $N i32) (param $K i32) (param $acc i32)
    ${locals}
    ${set("samb", `(i32.shl (local.get $sam) (i32.const ${T.shift}))`)}
    ${set("sakb", `(i32.shl (local.get $sak) (i32.const ${T.shift}))`)}
    ${set("Nb", `(i32.shl (local.get $N) (i32.const ${T.shift}))`)}
    ${set("m", "(i32.const 0)")}
    (block $m4d (loop $m4 (br_if $m4d (i32.gt_u (i32.add ${L("m")} (i32.const 4)) ${L("M")}))
      ${nLoops(4)}
      ${set("m", add(L("m"), "(i32.const 4)"))} (br $m4)))
    (block $m1d (loop $m1 (br_if $m1d (i32.ge_u ${L("m")} ${L("M")}))
      ${nLoops(1)}
      ${set("m", add(L("m"), "(i32.const 1)"))} (br $m1))))`;
}

/**
 * The packed product of the exact ridge path's large matrices (Goto & van de Geijn, "Anatomy of
 * high-performance matrix multiplication", ACM TOMS 2008): `packa` copies an mc × kc block of A
 * (any strides) into micro-panels of MR rows, k-major; `packb` a kc × nc block of B into
 * micro-panels of NR columns; `gkern` runs the MR × NR register tile over every pair of
 * micro-panels, adding into C (row stride ldc) or writing it. Panels are zero padded, so every
 * tile computes in full; the tiles at C's edges are staged through `tile` and copied in scalar.
 * With `lower` set, tiles wholly above the diagonal (every column index + d0 above every row
 * index, d0 the block's column origin less its row origin) are skipped: a symmetric product's
 * lower triangle at about half the work.
 */
const MR = 4;
const NV = 2; // NR = 2·NV columns, f64x2 vectors
const NR = NV * 2;

function packFuncs() {
  // dst[panel][k][i] = src[(r0 + i)·s1 + k·s2], zero beyond `rows`: one function serves A (rows
  // = mc, R = MR) and B (rows = nc columns, R = NR) with the strides given in elements.
  const pack = (name, R) => `
  (func (export "${name}") (param $src i32) (param $s1 i32) (param $s2 i32) (param $rows i32) (param $kc i32) (param $dst i32)
    (local $r0 i32) (local $k i32) (local $i i32) (local $p i32) (local $q i32) (local $s1b i32) (local $s2b i32) (local $full i32)
    ${set("s1b", "(i32.shl (local.get $s1) (i32.const 3))")}
    ${set("s2b", "(i32.shl (local.get $s2) (i32.const 3))")}
    ${set("r0", "(i32.const 0)")}
    (block $rd (loop $rl (br_if $rd (i32.ge_u ${L("r0")} ${L("rows")}))
      ${set("full", `(i32.le_u (i32.add ${L("r0")} (i32.const ${R})) ${L("rows")})`)}
      ${set("k", "(i32.const 0)")}
      (block $kd (loop $kl (br_if $kd (i32.ge_u ${L("k")} ${L("kc")}))
        ${set("p", add(L("src"), add(`(i32.mul ${L("r0")} ${L("s1b")})`, `(i32.mul ${L("k")} ${L("s2b")})`)))}
        (if ${L("full")} (then
          ${range(R)
            .map(
              (i) =>
                `(f64.store offset=${8 * i} ${L("dst")} (f64.load ${i === 0 ? L("p") : add(L("p"), `(i32.mul (i32.const ${i}) ${L("s1b")})`)}))`,
            )
            .join(" ")})
        (else
          ${set("i", "(i32.const 0)")}
          ${set("q", L("p"))}
          (block $id (loop $il (br_if $id (i32.ge_u ${L("i")} (i32.const ${R})))
            (f64.store ${add(L("dst"), `(i32.shl ${L("i")} (i32.const 3))`)}
              (if (result f64) (i32.lt_u (i32.add ${L("r0")} ${L("i")}) ${L("rows")}) (then (f64.load ${L("q")})) (else (f64.const 0))))
            ${set("q", add(L("q"), L("s1b")))}
            ${set("i", add(L("i"), "(i32.const 1)"))} (br $il)))))
        ${set("dst", add(L("dst"), `(i32.const ${8 * R})`))}
        ${set("k", add(L("k"), "(i32.const 1)"))} (br $kl)))
      ${set("r0", add(L("r0"), `(i32.const ${R})`))} (br $rl))))`;
  return pack("packa", MR) + pack("packb", NR);
}

function gkernFunc() {
  const acc = (i, v) => `c${i}${v}`;
  const locals = [
    "(local $ir i32) (local $jr i32) (local $k i32) (local $pa i32) (local $pb i32) (local $pc i32) (local $ldcb i32) (local $i i32) (local $j i32) (local $src i32) (local $dst i32)",
    ...range(NV).map((v) => `(local $b${v} v128)`),
    "(local $a v128)",
    ...range(MR).flatMap((i) => range(NV).map((v) => `(local $${acc(i, v)} v128)`)),
  ].join(" ");
  // One step of k at offset u (in steps) from pa, pb.
  const step = (u) => {
    const out = [];
    for (const v of range(NV))
      out.push(set(`b${v}`, `(v128.load offset=${16 * v + 8 * NR * u} ${L("pb")})`));
    for (const i of range(MR)) {
      out.push(set("a", `(v128.load64_splat offset=${8 * i + 8 * MR * u} ${L("pa")})`));
      for (const v of range(NV)) out.push(vmadd(F64, acc(i, v), L("a"), L(`b${v}`)));
    }
    return out;
  };
  const advance = (u) => [
    set("pa", add(L("pa"), `(i32.const ${8 * MR * u})`)),
    set("pb", add(L("pb"), `(i32.const ${8 * NR * u})`)),
    set("k", add(L("k"), `(i32.const ${u})`)),
  ];
  const body = [...step(0), ...advance(1)];
  const zero = range(MR)
    .flatMap((i) => range(NV).map((v) => set(acc(i, v), F64.zero)))
    .join(" ");
  const rowPtr = (i) => add(L("pc"), `(i32.mul (i32.const ${i}) ${L("ldcb")})`);
  const storeFull = range(MR)
    .flatMap((i) =>
      range(NV).map(
        (v) =>
          `(v128.store offset=${16 * v} ${rowPtr(i)} (if (result v128) ${L("acc")} (then (f64x2.add (v128.load offset=${16 * v} ${rowPtr(i)}) ${L(acc(i, v))})) (else ${L(acc(i, v))})))`,
      ),
    )
    .join(" ");
  const storeTile = range(MR)
    .flatMap((i) =>
      range(NV).map((v) => `(v128.store offset=${16 * (i * NV + v)} ${L("tile")} ${L(acc(i, v))})`),
    )
    .join(" ");
  return `
  (func (export "gkern") (param $pa0 i32) (param $pb0 i32) (param $c i32) (param $ldc i32) (param $mc i32) (param $nc i32) (param $kc i32) (param $acc i32) (param $tile i32) (param $lower i32) (param $d0 i32)
    ${locals}
    ${set("ldcb", "(i32.shl (local.get $ldc) (i32.const 3))")}
    ${set("jr", "(i32.const 0)")}
    (block $jd (loop $jl (br_if $jd (i32.ge_u ${L("jr")} ${L("nc")}))
      ${set("ir", "(i32.const 0)")}
      (block $id (loop $il (br_if $id (i32.ge_u ${L("ir")} ${L("mc")}))
        (block $tl
        ;; lower: skip the tiles wholly above the diagonal (column jr + d0 > every row of the tile)
        (br_if $tl (i32.and ${L("lower")} (i32.ge_s (i32.sub (i32.add ${L("jr")} ${L("d0")}) ${L("ir")}) (i32.const ${MR}))))
        ${zero}
        ${set("pa", add(L("pa0"), `(i32.mul (i32.shl ${L("ir")} (i32.const 3)) ${L("kc")})`))}
        ${set("pb", add(L("pb0"), `(i32.mul (i32.shl ${L("jr")} (i32.const 3)) ${L("kc")})`))}
        ${set("k", "(i32.const 0)")}
        (block $kd (loop $kl (br_if $kd (i32.ge_u ${L("k")} ${L("kc")})) ${body.join(" ")} (br $kl)))
        ${set("pc", add(L("c"), `(i32.shl (i32.add (i32.mul ${L("ir")} ${L("ldc")}) ${L("jr")}) (i32.const 3))`))}
        (if (i32.and (i32.le_u (i32.add ${L("ir")} (i32.const ${MR})) ${L("mc")}) (i32.le_u (i32.add ${L("jr")} (i32.const ${NR})) ${L("nc")}))
          (then ${storeFull})
          (else
            ${storeTile}
            ${set("i", "(i32.const 0)")}
            (block $ed (loop $el (br_if $ed (i32.or (i32.ge_u ${L("i")} (i32.const ${MR})) (i32.ge_u (i32.add ${L("ir")} ${L("i")}) ${L("mc")})))
              ${set("j", "(i32.const 0)")}
              (block $fd (loop $fl (br_if $fd (i32.or (i32.ge_u ${L("j")} (i32.const ${NR})) (i32.ge_u (i32.add ${L("jr")} ${L("j")}) ${L("nc")})))
                ${set("src", add(L("tile"), `(i32.shl (i32.add (i32.mul ${L("i")} (i32.const ${NR})) ${L("j")}) (i32.const 3))`))}
                ${set("dst", add(L("pc"), add(`(i32.mul ${L("i")} ${L("ldcb")})`, `(i32.shl ${L("j")} (i32.const 3))`)))}
                (f64.store ${L("dst")} (if (result f64) ${L("acc")} (then (f64.add (f64.load ${L("dst")}) (f64.load ${L("src")}))) (else (f64.load ${L("src")}))))
                ${set("j", add(L("j"), "(i32.const 1)"))} (br $fl)))
              ${set("i", add(L("i"), "(i32.const 1)"))} (br $el))))))
        ${set("ir", add(L("ir"), `(i32.const ${MR})`))} (br $il)))
      ${set("jr", add(L("jr"), `(i32.const ${NR})`))} (br $jl))))`;
}

/**
 * ldlhat(u, n, ld, q, l, id, h, count, fs): for j < count, h_j[i] = Σ_k w_k(i)²·id_j[k] with
 * w_k(i) = u[k·ld + i] − l_j[k]·w_{k−1}(i) (w_{−1} = 0: l_j[0] multiplies zero, so must be finite), l_j = l + j·fs,
 * id_j = id + j·fs, h_j = h + j·ld (elements) — for every i < n at once (n ≤ ld: a range of
 * columns, so that threads can share them), the quadratic forms
 * u_iᵀ (L_j D_j L_jᵀ)⁻¹ u_i of the columns u_i of the q × n matrix at u with the L D Lᵀ factors
 * of `count` shifted tridiagonal matrices (L unit lower bidiagonal with subdiagonal l[1..q),
 * id = D⁻¹): the exact ridge path's hat diagonals. Eight columns (four vectors) per sweep over k,
 * then two, then one; every factor set runs on a chunk of columns while it is in cache.
 */
function ldlFunc() {
  // One sweep over k for factor set j (pointers pl, pi, ph set) on V vectors of columns (V = 0:
  // one column in scalar).
  const sweep = (V) => {
    const out = [];
    const cols = V === 0 ? 1 : V;
    const t = V === 0 ? "f64" : "f64x2";
    const zero = V === 0 ? "(f64.const 0)" : F64.zero;
    const w = (v) => (V === 0 ? "sw" : "w") + v;
    const g = (v) => (V === 0 ? "sg" : "g") + v;
    for (const v of range(cols)) out.push(set(w(v), zero), set(g(v), zero));
    out.push(set("p", add(L("u"), `(i32.shl ${L("i")} (i32.const 3))`)), set("k", "(i32.const 0)"));
    const body =
      V === 0
        ? [set("sl", `(f64.load ${L("pl")})`), set("si", `(f64.load ${L("pi")})`)]
        : [
            set("lk", `(v128.load64_splat ${L("pl")})`),
            set("ik", `(v128.load64_splat ${L("pi")})`),
          ];
    const lk = V === 0 ? L("sl") : L("lk");
    const ik = V === 0 ? L("si") : L("ik");
    for (const v of range(cols)) {
      const load = V === 0 ? `(f64.load ${L("p")})` : `(v128.load offset=${16 * v} ${L("p")})`;
      body.push(
        set(w(v), `(${t}.sub ${load} (${t}.mul ${lk} ${L(w(v))}))`),
        set(g(v), `(${t}.add ${L(g(v))} (${t}.mul (${t}.mul ${L(w(v))} ${L(w(v))}) ${ik}))`),
      );
    }
    body.push(
      set("p", add(L("p"), L("nb"))),
      set("pl", add(L("pl"), "(i32.const 8)")),
      set("pi", add(L("pi"), "(i32.const 8)")),
      set("k", add(L("k"), "(i32.const 1)")),
    );
    out.push(
      `(block $kd (loop $kl (br_if $kd (i32.ge_u ${L("k")} ${L("q")})) ${body.join(" ")} (br $kl)))`,
    );
    const at = add(L("ph"), `(i32.shl ${L("i")} (i32.const 3))`);
    for (const v of range(cols))
      out.push(
        V === 0 ? `(f64.store ${at} ${L(g(v))})` : `(v128.store offset=${16 * v} ${at} ${L(g(v))})`,
      );
    return out.join("\n        ");
  };
  // Every factor set on the chunk of columns at i, then i moves on by `step` columns.
  const chunk = (V, step) => `
      ${set("j", "(i32.const 0)")}
      ${set("fj", L("l"))} ${set("ij", L("id"))} ${set("ph", L("h"))}
      (block $jd (loop $jl (br_if $jd (i32.ge_u ${L("j")} ${L("count")}))
        ${set("pl", L("fj"))} ${set("pi", L("ij"))}
        ${sweep(V)}
        ${set("fj", add(L("fj"), L("fsb")))} ${set("ij", add(L("ij"), L("fsb")))} ${set("ph", add(L("ph"), L("nb")))}
        ${set("j", add(L("j"), "(i32.const 1)"))} (br $jl)))
      ${set("i", add(L("i"), `(i32.const ${step})`))}`;
  return `
  (func (export "ldlhat") (param $u i32) (param $n i32) (param $ld i32) (param $q i32) (param $l i32) (param $id i32) (param $h i32) (param $count i32) (param $fs i32)
    (local $i i32) (local $j i32) (local $k i32) (local $p i32) (local $pl i32) (local $pi i32) (local $ph i32)
    (local $fj i32) (local $ij i32) (local $nb i32) (local $fsb i32)
    (local $lk v128) (local $ik v128) (local $sl f64) (local $si f64) (local $sw0 f64) (local $sg0 f64)
    ${range(4)
      .map((v) => `(local $w${v} v128) (local $g${v} v128)`)
      .join(" ")}
    ${set("nb", "(i32.shl (local.get $ld) (i32.const 3))")}
    ${set("fsb", "(i32.shl (local.get $fs) (i32.const 3))")}
    ${set("i", "(i32.const 0)")}
    (block $c4d (loop $c4 (br_if $c4d (i32.gt_u (i32.add ${L("i")} (i32.const 8)) ${L("n")}))
      ${chunk(4, 8)} (br $c4)))
    (block $c1d (loop $c1 (br_if $c1d (i32.gt_u (i32.add ${L("i")} (i32.const 2)) ${L("n")}))
      ${chunk(1, 2)} (br $c1)))
    (if (i32.lt_u ${L("i")} ${L("n")}) (then ${chunk(0, 1)})))`;
}

/**
 * $r2col(w, e, d, f, g, d2, e2, f2, n): the rank-2 update w[i] ← w[i] − (f·e[i] + g·d[i]), then
 * Σ w[i]·d2[i] (returned) and e2[i] ← e2[i] + f2·w[i] on the updated w, in one pass over w (a
 * column's share of one Householder step's update and of the next step's product); two vectors
 * per iteration, the dot in two accumulators.
 */
const R2COL = `(func $r2col (param $w i32) (param $e i32) (param $d i32) (param $f f64)
      (param $g f64) (param $d2 i32) (param $e2 i32) (param $f2 f64) (param $n i32) (result f64)
    (local $end i32) (local $end2 i32) (local $end4 i32) (local $vf v128) (local $vg v128) (local $vf2 v128)
    (local $acc v128) (local $acc1 v128) (local $vw v128) (local $vw1 v128) (local $s f64) (local $sw f64)
    (local.set $end (i32.add (local.get $w) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $end2 (i32.add (local.get $w)
      (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (local.set $end4 (i32.add (local.get $w)
      (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    (local.set $vf (f64x2.splat (local.get $f)))
    (local.set $vg (f64x2.splat (local.get $g)))
    (local.set $vf2 (f64x2.splat (local.get $f2)))
    (local.set $acc (v128.const f64x2 0 0))
    (local.set $acc1 (v128.const f64x2 0 0))
    (block $done4
      (loop $body4
        (br_if $done4 (i32.ge_u (local.get $w) (local.get $end4)))
        (local.set $vw (f64x2.sub (v128.load (local.get $w))
          (f64x2.add (f64x2.mul (local.get $vf) (v128.load (local.get $e)))
            (f64x2.mul (local.get $vg) (v128.load (local.get $d))))))
        (local.set $vw1 (f64x2.sub (v128.load offset=16 (local.get $w))
          (f64x2.add (f64x2.mul (local.get $vf) (v128.load offset=16 (local.get $e)))
            (f64x2.mul (local.get $vg) (v128.load offset=16 (local.get $d))))))
        (v128.store (local.get $w) (local.get $vw))
        (v128.store offset=16 (local.get $w) (local.get $vw1))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $vw) (v128.load (local.get $d2)))))
        (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $vw1) (v128.load offset=16 (local.get $d2)))))
        (v128.store (local.get $e2) (f64x2.add (v128.load (local.get $e2))
          (f64x2.mul (local.get $vf2) (local.get $vw))))
        (v128.store offset=16 (local.get $e2) (f64x2.add (v128.load offset=16 (local.get $e2))
          (f64x2.mul (local.get $vf2) (local.get $vw1))))
        (local.set $w (i32.add (local.get $w) (i32.const 32)))
        (local.set $e (i32.add (local.get $e) (i32.const 32)))
        (local.set $d (i32.add (local.get $d) (i32.const 32)))
        (local.set $d2 (i32.add (local.get $d2) (i32.const 32)))
        (local.set $e2 (i32.add (local.get $e2) (i32.const 32)))
        (br $body4)))
    (local.set $acc (f64x2.add (local.get $acc) (local.get $acc1)))
    (block $done
      (loop $body
        (br_if $done (i32.ge_u (local.get $w) (local.get $end2)))
        (local.set $vw (f64x2.sub (v128.load (local.get $w))
          (f64x2.add (f64x2.mul (local.get $vf) (v128.load (local.get $e)))
            (f64x2.mul (local.get $vg) (v128.load (local.get $d))))))
        (v128.store (local.get $w) (local.get $vw))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $vw) (v128.load (local.get $d2)))))
        (v128.store (local.get $e2) (f64x2.add (v128.load (local.get $e2))
          (f64x2.mul (local.get $vf2) (local.get $vw))))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))
        (local.set $e (i32.add (local.get $e) (i32.const 16)))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (local.set $d2 (i32.add (local.get $d2) (i32.const 16)))
        (local.set $e2 (i32.add (local.get $e2) (i32.const 16)))
        (br $body)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $acc))
                           (f64x2.extract_lane 1 (local.get $acc))))
    (if (i32.lt_u (local.get $w) (local.get $end))
      (then
        (local.set $sw (f64.sub (f64.load (local.get $w))
          (f64.add (f64.mul (local.get $f) (f64.load (local.get $e)))
            (f64.mul (local.get $g) (f64.load (local.get $d))))))
        (f64.store (local.get $w) (local.get $sw))
        (local.set $s (f64.add (local.get $s) (f64.mul (local.get $sw) (f64.load (local.get $d2)))))
        (f64.store (local.get $e2) (f64.add (f64.load (local.get $e2))
          (f64.mul (local.get $f2) (local.get $sw))))))
    (local.get $s))`;

/**
 * r2step(w, m, i, uc, ec, un, en, j0, j1): columns j0 … j1 − 1 of one step of the Householder
 * reduction of src/linalg/householderEigen.ts (byte pointers; W column-major m × m at w,
 * r = i − 1): for each column j its diagonal a = W(j, j) − 2·uc[j]·ec[j], then in one pass over
 * W(j + 1 … r − 1, j) step i's rank-2 update, the dot with un and the axpy into en ($r2col),
 * en[j] += a·un[j] + that dot, and W(i, j) = 0.
 */
function r2stepFunc() {
  const b = (ptr, idx) => `(i32.add ${ptr} (i32.shl ${idx} (i32.const 3)))`;
  return `
  ${R2COL}
  (func (export "r2step") (param $w i32) (param $m i32) (param $i i32) (param $uc i32) (param $ec i32)
      (param $un i32) (param $en i32) (param $j0 i32) (param $j1 i32)
    (local $j i32) (local $cj i32) (local $uj f64) (local $ej f64) (local $a f64) (local $f f64)
    (local $g f64) (local $len i32) (local $s f64) (local $j1b i32)
    ${set("j", L("j0"))}
    (block $jd (loop $jl (br_if $jd (i32.ge_s ${L("j")} ${L("j1")}))
      ${set("cj", b(L("w"), `(i32.mul ${L("j")} ${L("m")})`))}
      ${set("uj", `(f64.load ${b(L("uc"), L("j"))})`)}
      ${set("ej", `(f64.load ${b(L("ec"), L("j"))})`)}
      ${set("a", `(f64.sub (f64.load ${b(L("cj"), L("j"))}) (f64.add (f64.mul ${L("uj")} ${L("ej")}) (f64.mul ${L("ej")} ${L("uj")})))`)}
      (f64.store ${b(L("cj"), L("j"))} ${L("a")})
      ${set("f", `(f64.load ${b(L("un"), L("j"))})`)}
      ${set("g", `(f64.add (f64.load ${b(L("en"), L("j"))}) (f64.mul ${L("a")} ${L("f")}))`)}
      ${set("len", `(i32.sub (i32.sub ${L("i")} (i32.const 2)) ${L("j")})`)}
      ${set("j1b", `(i32.add ${L("j")} (i32.const 1))`)}
      (if (i32.gt_s ${L("len")} (i32.const 0)) (then
        ${set("g", `(f64.add ${L("g")} (call $r2col ${b(L("cj"), L("j1b"))} ${b(L("ec"), L("j1b"))} ${b(L("uc"), L("j1b"))} ${L("uj")} ${L("ej")} ${b(L("un"), L("j1b"))} ${b(L("en"), L("j1b"))} ${L("f")} ${L("len")}))`)}))
      (f64.store ${b(L("en"), L("j"))} ${L("g")})
      (f64.store ${b(L("cj"), L("i"))} (f64.const 0))
      ${set("j", L("j1b"))} (br $jl)))
  )
  ;; r2row(w, m, r, uc, ec, un, ur, er, j0, j1): row r of columns j0 … j1 − 1 after step r + 1's
  ;; update, W(r, j) ← W(r, j) − (uc[j]·er + ec[j]·ur), copied to un[j]: the next step's vector
  (func (export "r2row") (param $w i32) (param $m i32) (param $r i32) (param $uc i32) (param $ec i32)
      (param $un i32) (param $ur f64) (param $er f64) (param $j0 i32) (param $j1 i32)
    (local $j i32) (local $p i32) (local $v f64)
    ${set("j", L("j0"))}
    (block $jd (loop $jl (br_if $jd (i32.ge_s ${L("j")} ${L("j1")}))
      ${set("p", b(L("w"), `(i32.add (i32.mul ${L("j")} ${L("m")}) ${L("r")})`))}
      ${set("v", `(f64.sub (f64.load ${L("p")}) (f64.add (f64.mul (f64.load ${b(L("uc"), L("j"))}) ${L("er")}) (f64.mul (f64.load ${b(L("ec"), L("j"))}) ${L("ur")})))`)}
      (f64.store ${L("p")} ${L("v")})
      (f64.store ${b(L("un"), L("j"))} ${L("v")})
      ${set("j", `(i32.add ${L("j")} (i32.const 1))`)} (br $jl)))
  )`;
}

/** scale2: two elementwise products of one vector, for the multinomial's scaled columns. */
const SCALE2 = `  ;; scale2(x, v1, v2, o1, o2, n): o1[i] = x[i]·v1[i] and o2[i] = x[i]·v2[i], i < n (o1 may be x)
  (func (export "scale2") (param $x i32) (param $v1 i32) (param $v2 i32) (param $o1 i32) (param $o2 i32) (param $n i32)
    (local $i i32) (local $e i32) (local $xv v128) (local $xs f64)
    ${set("e", "(i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))")}
    (block $d (loop $l (br_if $d (i32.ge_u ${L("i")} ${L("e")}))
      ${set("xv", `(v128.load ${add(L("x"), L("i"))})`)}
      (v128.store ${add(L("o1"), L("i"))} (f64x2.mul ${L("xv")} (v128.load ${add(L("v1"), L("i"))})))
      (v128.store ${add(L("o2"), L("i"))} (f64x2.mul ${L("xv")} (v128.load ${add(L("v2"), L("i"))})))
      ${set("i", `(i32.add ${L("i")} (i32.const 16))`)} (br $l)))
    (if (i32.and ${L("n")} (i32.const 1)) (then
      ${set("xs", `(f64.load ${add(L("x"), L("e"))})`)}
      (f64.store ${add(L("o1"), L("e"))} (f64.mul ${L("xs")} (f64.load ${add(L("v1"), L("e"))})))
      (f64.store ${add(L("o2"), L("e"))} (f64.mul ${L("xs")} (f64.load ${add(L("v2"), L("e"))})))))
  )`;

const wat = `;; Generated by scripts/gen-gemm.mjs. Do not edit; regenerate gemm.ts with node scripts/build-wasm.mjs.
;; Float64 (nt, nn) and float32 (nt32, nn32) matrix products of the MLP engine, the packed float64
;; product (packa, packb, gkern), the ridge hat-diagonal kernel (ldlhat) and the Householder
;; reduction's step (r2step) and the multinomial Hessian's scaled columns (scale2), with 128-bit SIMD;
;; pointers are byte offsets.
(module
  (import "env" "memory" (memory 1))
${ntFunc(F64, "nt")}
${nnFunc(F64, "nn")}
${ntFunc(F32, "nt32")}
${nnFunc(F32, "nn32")}
${packFuncs()}
${gkernFunc()}
${ldlFunc()}
${r2stepFunc()}
${SCALE2})
`;
writeFileSync("src/wasm/gemm.wat", wat);
console.log(`gemm.wat: ${wat.length} characters`);

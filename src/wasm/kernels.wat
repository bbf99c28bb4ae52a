;; Dense kernels over float64 arrays in linear memory, using 128-bit SIMD (2 doubles per lane op).
;; Pointers are byte offsets, 8-byte aligned. Regenerate kernels.ts with: node scripts/build-wasm.mjs
(module
  (import "env" "memory" (memory 1))

  ;; dot(a, b, n) = Σ a[i]·b[i], four doubles per iteration in two independent accumulators.
  (func $dot (export "dot") (param $a i32) (param $b i32) (param $n i32) (result f64)
    (local $end i32) (local $end4 i32) (local $acc0 v128) (local $acc1 v128) (local $s f64)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $end4 (i32.add (local.get $a)
      (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    (local.set $acc0 (v128.const f64x2 0 0))
    (local.set $acc1 (v128.const f64x2 0 0))
    (block $done
      (loop $body
        (br_if $done (i32.ge_u (local.get $a) (local.get $end4)))
        (local.set $acc0 (f64x2.add (local.get $acc0)
          (f64x2.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
        (local.set $acc1 (f64x2.add (local.get $acc1)
          (f64x2.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (local.set $b (i32.add (local.get $b) (i32.const 32)))
        (br $body)))
    (local.set $acc0 (f64x2.add (local.get $acc0) (local.get $acc1)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $acc0))
                           (f64x2.extract_lane 1 (local.get $acc0))))
    (block $done2
      (loop $tail
        (br_if $done2 (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $s (f64.add (local.get $s)
          (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (br $tail)))
    (local.get $s))

  ;; axpy(x, y, alpha, n): y[i] ← y[i] − alpha·x[i].
  (func $axpy (export "axpy") (param $x i32) (param $y i32) (param $alpha f64) (param $n i32)
    (local $end i32) (local $end2 i32) (local $va v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $end2 (i32.add (local.get $x)
      (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (local.set $va (f64x2.splat (local.get $alpha)))
    (block $done
      (loop $body
        (br_if $done (i32.ge_u (local.get $x) (local.get $end2)))
        (v128.store (local.get $y) (f64x2.sub (v128.load (local.get $y))
          (f64x2.mul (local.get $va) (v128.load (local.get $x)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br $body)))
    (if (i32.lt_u (local.get $x) (local.get $end))
      (then (f64.store (local.get $y) (f64.sub (f64.load (local.get $y))
        (f64.mul (local.get $alpha) (f64.load (local.get $x))))))))
  ;; pass(list, count, base, n, r, b, g, xv, pf, lo, hi, ab, dem) -> max xv·Δb²
  ;; One cyclic coordinate-descent pass of the Gaussian elastic net over the features
  ;; list[0..count) (i32), with columns at base + k·n·8 and residual r (all f64 arrays are indexed
  ;; by feature): g_k = x_kᵀr, b_k ← clip(S(g_k + xv_k b_k, ab·pf_k) / (xv_k + dem·pf_k), lo_k, hi_k),
  ;; r ← r − Δb_k x_k. The same arithmetic as enetProx1d and the dot/axpy kernels above.
  (func (export "pass") (param $list i32) (param $count i32) (param $base i32) (param $n i32)
    (param $r i32) (param $b i32) (param $g i32) (param $xv i32) (param $pf i32) (param $lo i32)
    (param $hi i32) (param $ab f64) (param $dem f64) (result f64)
    (local $end i32) (local $k i32) (local $off i32) (local $col i32) (local $gk f64)
    (local $bk f64) (local $xvk f64) (local $pfk f64) (local $u f64) (local $v f64)
    (local $nb f64) (local $d f64) (local $dlx f64)
    (local.set $end (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $list) (local.get $end)))
        (local.set $k (i32.load (local.get $list)))
        (local.set $list (i32.add (local.get $list) (i32.const 4)))
        (local.set $off (i32.shl (local.get $k) (i32.const 3)))
        (local.set $col (i32.add (local.get $base)
          (i32.mul (local.get $k) (i32.shl (local.get $n) (i32.const 3)))))
        (local.set $gk (call $dot (local.get $col) (local.get $r) (local.get $n)))
        (f64.store (i32.add (local.get $g) (local.get $off)) (local.get $gk))
        (local.set $bk (f64.load (i32.add (local.get $b) (local.get $off))))
        (local.set $xvk (f64.load (i32.add (local.get $xv) (local.get $off))))
        (local.set $pfk (f64.load (i32.add (local.get $pf) (local.get $off))))
        (local.set $u (f64.add (local.get $gk) (f64.mul (local.get $xvk) (local.get $bk))))
        (local.set $v (f64.sub (f64.abs (local.get $u)) (f64.mul (local.get $pfk) (local.get $ab))))
        (local.set $nb (f64.const 0))
        (if (f64.gt (local.get $v) (f64.const 0))
          (then
            (local.set $nb (f64.div (f64.copysign (local.get $v) (local.get $u))
              (f64.add (local.get $xvk) (f64.mul (local.get $pfk) (local.get $dem)))))
            (local.set $nb (f64.max (f64.load (i32.add (local.get $lo) (local.get $off)))
              (f64.min (f64.load (i32.add (local.get $hi) (local.get $off))) (local.get $nb))))))
        (if (f64.ne (local.get $nb) (local.get $bk))
          (then
            (local.set $d (f64.sub (local.get $nb) (local.get $bk)))
            (f64.store (i32.add (local.get $b) (local.get $off)) (local.get $nb))
            (local.set $dlx (f64.max (local.get $dlx)
              (f64.mul (local.get $xvk) (f64.mul (local.get $d) (local.get $d)))))
            (call $axpy (local.get $col) (local.get $r) (local.get $d) (local.get $n))))
        (br $each)))
    (local.get $dlx))

  ;; cpass(st, na, cap) -> max xv·Δb²
  ;; One coordinate-descent pass over a compact active set of na coordinates with exact
  ;; gradients kept through its Gram block (covariance updates). From byte offset st, seven f64
  ;; arrays of length cap ≥ na — g, b, xv, kappa, mu, lo, hi — then the cap×cap Gram block G
  ;; (row l is coordinate l's column; rows cap apart):
  ;; b_l ← clip(S(g_l + xv_l b_l, κ_l) / (xv_l + μ_l), lo_l, hi_l), g ← g − Δb_l·G[l, :].
  ;; The same arithmetic as enetProx1d and axpy.
  (func (export "cpass") (param $st i32) (param $na i32) (param $cap i32) (result f64)
    (local $w i32) (local $l i32) (local $off i32) (local $bk f64) (local $xvk f64) (local $u f64)
    (local $v f64) (local $nb f64) (local $d f64) (local $dlx f64) (local $gram i32)
    (local.set $w (i32.shl (local.get $cap) (i32.const 3)))
    (local.set $gram (i32.add (local.get $st) (i32.mul (local.get $w) (i32.const 7))))
    (local.set $l (i32.const 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $l) (local.get $na)))
        (local.set $off (i32.add (local.get $st) (i32.shl (local.get $l) (i32.const 3))))
        (local.set $bk (f64.load (i32.add (local.get $off) (local.get $w))))
        (local.set $xvk (f64.load (i32.add (local.get $off) (i32.mul (local.get $w) (i32.const 2)))))
        (local.set $u (f64.add (f64.load (local.get $off)) (f64.mul (local.get $xvk) (local.get $bk))))
        (local.set $v (f64.sub (f64.abs (local.get $u))
          (f64.load (i32.add (local.get $off) (i32.mul (local.get $w) (i32.const 3))))))
        (local.set $nb (f64.const 0))
        (if (f64.gt (local.get $v) (f64.const 0))
          (then
            (local.set $nb (f64.div (f64.copysign (local.get $v) (local.get $u))
              (f64.add (local.get $xvk)
                (f64.load (i32.add (local.get $off) (i32.mul (local.get $w) (i32.const 4)))))))
            (local.set $nb (f64.max
              (f64.load (i32.add (local.get $off) (i32.mul (local.get $w) (i32.const 5))))
              (f64.min (f64.load (i32.add (local.get $off) (i32.mul (local.get $w) (i32.const 6))))
                (local.get $nb))))))
        (if (f64.ne (local.get $nb) (local.get $bk))
          (then
            (local.set $d (f64.sub (local.get $nb) (local.get $bk)))
            (f64.store (i32.add (local.get $off) (local.get $w)) (local.get $nb))
            (local.set $dlx (f64.max (local.get $dlx)
              (f64.mul (local.get $xvk) (f64.mul (local.get $d) (local.get $d)))))
            (call $axpy (i32.add (local.get $gram) (i32.mul (local.get $l) (local.get $w)))
              (local.get $st) (local.get $d) (local.get $na))))
        (local.set $l (i32.add (local.get $l) (i32.const 1)))
        (br $each)))
    (local.get $dlx))

  ;; gresid(st, na, cap): g[m] ← g0[m] − Σ_l G[m, l]·b[l] for m < na, over the compact layout of
  ;; cpass (g at st, b one array later, the cap×cap Gram block after seven arrays) with g0 right
  ;; after the Gram block: the exact gradient of the active problem, one dot kernel per row.
  (func (export "gresid") (param $st i32) (param $na i32) (param $cap i32)
    (local $w i32) (local $row i32) (local $g0 i32) (local $m i32)
    (local.set $w (i32.shl (local.get $cap) (i32.const 3)))
    (local.set $row (i32.add (local.get $st) (i32.mul (local.get $w) (i32.const 7))))
    (local.set $g0 (i32.add (local.get $row) (i32.mul (local.get $w) (local.get $cap))))
    (local.set $m (i32.const 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $m) (local.get $na)))
        (f64.store (i32.add (local.get $st) (i32.shl (local.get $m) (i32.const 3)))
          (f64.sub (f64.load (i32.add (local.get $g0) (i32.shl (local.get $m) (i32.const 3))))
            (call $dot (local.get $row) (i32.add (local.get $st) (local.get $w)) (local.get $na))))
        (local.set $row (i32.add (local.get $row) (local.get $w)))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $each))))

  ;; glin(st, na, cap): g0[m] ← g[m] + Σ_l G[m, l]·b[l] for m < na, same layout as gresid: the
  ;; linear term of a quadratic model −g0ᵀb' + ½b'ᵀGb' whose gradient at b is the given −g.
  (func (export "glin") (param $st i32) (param $na i32) (param $cap i32)
    (local $w i32) (local $row i32) (local $g0 i32) (local $m i32)
    (local.set $w (i32.shl (local.get $cap) (i32.const 3)))
    (local.set $row (i32.add (local.get $st) (i32.mul (local.get $w) (i32.const 7))))
    (local.set $g0 (i32.add (local.get $row) (i32.mul (local.get $w) (local.get $cap))))
    (local.set $m (i32.const 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $m) (local.get $na)))
        (f64.store (i32.add (local.get $g0) (i32.shl (local.get $m) (i32.const 3)))
          (f64.add (f64.load (i32.add (local.get $st) (i32.shl (local.get $m) (i32.const 3))))
            (call $dot (local.get $row) (i32.add (local.get $st) (local.get $w)) (local.get $na))))
        (local.set $row (i32.add (local.get $row) (local.get $w)))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $each))))

  ;; fsub(l, v, k, cap): forward substitution v ← L⁻¹v for the k×k lower-triangular L stored
  ;; row-major with rows cap apart: v[r] ← (v[r] − L[r, :r]·v[:r]) / L[r, r], r = 0 … k−1.
  (func (export "fsub") (param $l i32) (param $v i32) (param $k i32) (param $cap i32)
    (local $w i32) (local $r i32) (local $row i32) (local $at i32)
    (local.set $w (i32.shl (local.get $cap) (i32.const 3)))
    (local.set $r (i32.const 0))
    (local.set $row (local.get $l))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $r) (local.get $k)))
        (local.set $at (i32.add (local.get $v) (i32.shl (local.get $r) (i32.const 3))))
        (f64.store (local.get $at)
          (f64.div
            (f64.sub (f64.load (local.get $at))
              (call $dot (local.get $row) (local.get $v) (local.get $r)))
            (f64.load (i32.add (local.get $row) (i32.shl (local.get $r) (i32.const 3))))))
        (local.set $row (i32.add (local.get $row) (local.get $w)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each))))

  ;; bsub(l, v, k, cap): back substitution v ← L⁻ᵀv for the same L, row by row:
  ;; v[r] ← v[r] / L[r, r], then v[:r] −= v[r]·L[r, :r], r = k−1 … 0.
  (func (export "bsub") (param $l i32) (param $v i32) (param $k i32) (param $cap i32)
    (local $w i32) (local $r i32) (local $row i32) (local $at i32) (local $x f64)
    (local.set $w (i32.shl (local.get $cap) (i32.const 3)))
    (local.set $r (local.get $k))
    (block $done
      (loop $each
        (br_if $done (i32.eqz (local.get $r)))
        (local.set $r (i32.sub (local.get $r) (i32.const 1)))
        (local.set $row (i32.add (local.get $l) (i32.mul (local.get $r) (local.get $w))))
        (local.set $at (i32.add (local.get $v) (i32.shl (local.get $r) (i32.const 3))))
        (local.set $x (f64.div (f64.load (local.get $at))
          (f64.load (i32.add (local.get $row) (i32.shl (local.get $r) (i32.const 3))))))
        (f64.store (local.get $at) (local.get $x))
        (call $axpy (local.get $row) (local.get $v) (local.get $x) (local.get $r))
        (br $each))))

  ;; rowdots(a, b, count, n, out): out[k] ← aᵀ(column k), columns n doubles apart from b, for
  ;; k < count: a row of a Gram matrix. Four columns per sweep share each load of a (n even:
  ;; two doubles per lane op; an odd n's last element is added in scalar).
  (func (export "rowdots") (param $a i32) (param $b i32) (param $count i32) (param $n i32)
    (param $out i32)
    (local $w i32) (local $k i32) (local $i i32) (local $end2 i32) (local $va v128)
    (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $x f64)
    (local.set $w (i32.shl (local.get $n) (i32.const 3)))
    (local.set $end2 (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (local.set $k (i32.const 0))
    (block $done4
      (loop $four
        (br_if $done4 (i32.gt_u (i32.add (local.get $k) (i32.const 4)) (local.get $count)))
        (local.set $c0 (i32.add (local.get $b) (i32.mul (local.get $k) (local.get $w))))
        (local.set $c1 (i32.add (local.get $c0) (local.get $w)))
        (local.set $c2 (i32.add (local.get $c1) (local.get $w)))
        (local.set $c3 (i32.add (local.get $c2) (local.get $w)))
        (local.set $s0 (v128.const f64x2 0 0))
        (local.set $s1 (v128.const f64x2 0 0))
        (local.set $s2 (v128.const f64x2 0 0))
        (local.set $s3 (v128.const f64x2 0 0))
        (local.set $i (i32.const 0))
        (block $di
          (loop $inner
            (br_if $di (i32.ge_u (local.get $i) (local.get $end2)))
            (local.set $va (v128.load (i32.add (local.get $a) (local.get $i))))
            (local.set $s0 (f64x2.add (local.get $s0)
              (f64x2.mul (local.get $va) (v128.load (i32.add (local.get $c0) (local.get $i))))))
            (local.set $s1 (f64x2.add (local.get $s1)
              (f64x2.mul (local.get $va) (v128.load (i32.add (local.get $c1) (local.get $i))))))
            (local.set $s2 (f64x2.add (local.get $s2)
              (f64x2.mul (local.get $va) (v128.load (i32.add (local.get $c2) (local.get $i))))))
            (local.set $s3 (f64x2.add (local.get $s3)
              (f64x2.mul (local.get $va) (v128.load (i32.add (local.get $c3) (local.get $i))))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $inner)))
        ;; odd n: the last element (i = end2) in scalar, into lane 0
        (if (i32.and (local.get $n) (i32.const 1))
          (then
            (local.set $x (f64.load (i32.add (local.get $a) (local.get $end2))))
            (local.set $s0 (f64x2.replace_lane 0 (local.get $s0) (f64.add
              (f64x2.extract_lane 0 (local.get $s0))
              (f64.mul (local.get $x) (f64.load (i32.add (local.get $c0) (local.get $end2)))))))
            (local.set $s1 (f64x2.replace_lane 0 (local.get $s1) (f64.add
              (f64x2.extract_lane 0 (local.get $s1))
              (f64.mul (local.get $x) (f64.load (i32.add (local.get $c1) (local.get $end2)))))))
            (local.set $s2 (f64x2.replace_lane 0 (local.get $s2) (f64.add
              (f64x2.extract_lane 0 (local.get $s2))
              (f64.mul (local.get $x) (f64.load (i32.add (local.get $c2) (local.get $end2)))))))
            (local.set $s3 (f64x2.replace_lane 0 (local.get $s3) (f64.add
              (f64x2.extract_lane 0 (local.get $s3))
              (f64.mul (local.get $x) (f64.load (i32.add (local.get $c3) (local.get $end2)))))))))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3)))
          (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
        (f64.store offset=8 (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3)))
          (f64.add (f64x2.extract_lane 0 (local.get $s1)) (f64x2.extract_lane 1 (local.get $s1))))
        (f64.store offset=16 (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3)))
          (f64.add (f64x2.extract_lane 0 (local.get $s2)) (f64x2.extract_lane 1 (local.get $s2))))
        (f64.store offset=24 (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3)))
          (f64.add (f64x2.extract_lane 0 (local.get $s3)) (f64x2.extract_lane 1 (local.get $s3))))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $four)))
    (block $done
      (loop $rest
        (br_if $done (i32.ge_u (local.get $k) (local.get $count)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3)))
          (call $dot (local.get $a) (i32.add (local.get $b) (i32.mul (local.get $k) (local.get $w)))
            (local.get $n)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $rest))))

  ;; grads(list, count, base, n, r, g): g[k] ← x_kᵀr for the features list[0..count) (i32), with
  ;; columns at base + k·n·8: the gradients of a KKT check in one call.
  (func (export "grads") (param $list i32) (param $count i32) (param $base i32) (param $n i32)
    (param $r i32) (param $g i32)
    (local $end i32) (local $k i32) (local $w i32)
    (local.set $end (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $w (i32.shl (local.get $n) (i32.const 3)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $list) (local.get $end)))
        (local.set $k (i32.load (local.get $list)))
        (f64.store (i32.add (local.get $g) (i32.shl (local.get $k) (i32.const 3)))
          (call $dot (i32.add (local.get $base) (i32.mul (local.get $k) (local.get $w)))
            (local.get $r) (local.get $n)))
        (local.set $list (i32.add (local.get $list) (i32.const 4)))
        (br $each))))

  ;; ---- Elementwise exp and log, two lanes at a time (the algorithms of fdlibm's e_exp.c and
  ;; e_log.c: argument reduction by powers of two, then a minimax polynomial; within 1 ulp).

  ;; vexp(x) = eˣ per lane; lanes below −708 give e^−708 (≈3e−308, the smallest normal scale the
  ;; 2ᵏ construction reaches), lanes above 709.78 give +∞.
  (func $vexp (param $x v128) (result v128)
    (local $big v128) (local $k v128) (local $hi v128) (local $lo v128) (local $r v128)
    (local $z v128) (local $c v128) (local $y v128)
    (local.set $big (f64x2.gt (local.get $x) (v128.const f64x2 709.782712893384 709.782712893384)))
    (local.set $x (f64x2.min (f64x2.max (local.get $x) (v128.const f64x2 -708 -708))
      (v128.const f64x2 709 709)))
    (local.set $k (f64x2.nearest
      (f64x2.mul (local.get $x) (v128.const f64x2 1.44269504088896338700e+00 1.44269504088896338700e+00))))
    (local.set $hi (f64x2.sub (local.get $x)
      (f64x2.mul (local.get $k) (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01))))
    (local.set $lo
      (f64x2.mul (local.get $k) (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10)))
    (local.set $r (f64x2.sub (local.get $hi) (local.get $lo)))
    (local.set $z (f64x2.mul (local.get $r) (local.get $r)))
    ;; c = r − z·(P1 + z·(P2 + z·(P3 + z·(P4 + z·P5))))
    (local.set $c (f64x2.add (v128.const f64x2 -1.65339022054652515390e-06 -1.65339022054652515390e-06)
      (f64x2.mul (local.get $z) (v128.const f64x2 4.13813679705723846039e-08 4.13813679705723846039e-08))))
    (local.set $c (f64x2.add (v128.const f64x2 6.61375632143793436117e-05 6.61375632143793436117e-05)
      (f64x2.mul (local.get $z) (local.get $c))))
    (local.set $c (f64x2.add (v128.const f64x2 -2.77777777770155933842e-03 -2.77777777770155933842e-03)
      (f64x2.mul (local.get $z) (local.get $c))))
    (local.set $c (f64x2.add (v128.const f64x2 1.66666666666666019037e-01 1.66666666666666019037e-01)
      (f64x2.mul (local.get $z) (local.get $c))))
    (local.set $c (f64x2.sub (local.get $r) (f64x2.mul (local.get $z) (local.get $c))))
    ;; y = 1 − ((lo − r·c / (2 − c)) − hi)
    (local.set $y (f64x2.sub (v128.const f64x2 1 1)
      (f64x2.sub
        (f64x2.sub (local.get $lo)
          (f64x2.div (f64x2.mul (local.get $r) (local.get $c))
            (f64x2.sub (v128.const f64x2 2 2) (local.get $c))))
        (local.get $hi))))
    ;; y·2ᵏ, 2ᵏ built from its exponent bits
    (local.set $y (f64x2.mul (local.get $y)
      (i64x2.shl
        (i64x2.add (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (local.get $k)))
          (v128.const i64x2 1023 1023))
        (i32.const 52))))
    (v128.bitselect (v128.const f64x2 inf inf) (local.get $y) (local.get $big)))

  ;; vlog(x) = log x per lane, for positive normal x.
  (func $vlog (param $x v128) (result v128)
    (local $e v128) (local $m v128) (local $big v128) (local $f v128) (local $s v128)
    (local $z v128) (local $w v128) (local $t1 v128) (local $t2 v128) (local $hfsq v128)
    (local $dk v128)
    (local.set $e (i64x2.sub (i64x2.shr_u (local.get $x) (i32.const 52)) (v128.const i64x2 1023 1023)))
    (local.set $m (v128.or (v128.and (local.get $x) (v128.const i64x2 0x000fffffffffffff 0x000fffffffffffff))
      (v128.const i64x2 0x3ff0000000000000 0x3ff0000000000000)))
    ;; m ∈ [1, 2); above √2 take m/2 and one more power of two
    (local.set $big (f64x2.gt (local.get $m) (v128.const f64x2 1.4142135623730951 1.4142135623730951)))
    (local.set $m (v128.bitselect (f64x2.mul (local.get $m) (v128.const f64x2 0.5 0.5)) (local.get $m)
      (local.get $big)))
    (local.set $e (i64x2.sub (local.get $e) (local.get $big)))
    (local.set $dk (f64x2.convert_low_i32x4_s
      (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $e) (local.get $e))))
    (local.set $f (f64x2.sub (local.get $m) (v128.const f64x2 1 1)))
    (local.set $s (f64x2.div (local.get $f) (f64x2.add (v128.const f64x2 2 2) (local.get $f))))
    (local.set $z (f64x2.mul (local.get $s) (local.get $s)))
    (local.set $w (f64x2.mul (local.get $z) (local.get $z)))
    ;; t1 = w·(Lg2 + w·(Lg4 + w·Lg6)), t2 = z·(Lg1 + w·(Lg3 + w·(Lg5 + w·Lg7)))
    (local.set $t1 (f64x2.mul (local.get $w)
      (f64x2.add (v128.const f64x2 3.999999999940941908e-01 3.999999999940941908e-01)
        (f64x2.mul (local.get $w)
          (f64x2.add (v128.const f64x2 2.222219843214978396e-01 2.222219843214978396e-01)
            (f64x2.mul (local.get $w) (v128.const f64x2 1.531383769920937332e-01 1.531383769920937332e-01)))))))
    (local.set $t2 (f64x2.mul (local.get $z)
      (f64x2.add (v128.const f64x2 6.666666666666735130e-01 6.666666666666735130e-01)
        (f64x2.mul (local.get $w)
          (f64x2.add (v128.const f64x2 2.857142874366239149e-01 2.857142874366239149e-01)
            (f64x2.mul (local.get $w)
              (f64x2.add (v128.const f64x2 1.818357216161805012e-01 1.818357216161805012e-01)
                (f64x2.mul (local.get $w) (v128.const f64x2 1.479819860511658591e-01 1.479819860511658591e-01)))))))))
    (local.set $hfsq (f64x2.mul (v128.const f64x2 0.5 0.5) (f64x2.mul (local.get $f) (local.get $f))))
    ;; dk·ln2_hi − ((hfsq − (s·(hfsq + R) + dk·ln2_lo)) − f)
    (f64x2.sub
      (f64x2.mul (local.get $dk) (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01))
      (f64x2.sub
        (f64x2.sub (local.get $hfsq)
          (f64x2.add
            (f64x2.mul (local.get $s)
              (f64x2.add (local.get $hfsq) (f64x2.add (local.get $t2) (local.get $t1))))
            (f64x2.mul (local.get $dk) (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10))))
        (local.get $f))))

  ;; vexp and vlog over arrays (tests): out[i] = e^x[i] (op 0) or log x[i] (op 1), n even.
  (func (export "vmap") (param $op i32) (param $x i32) (param $out i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (v128.store (local.get $out)
          (if (result v128) (local.get $op)
            (then (call $vlog (v128.load (local.get $x))))
            (else (call $vexp (v128.load (local.get $x))))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $each))))

  ;; binom(eta, y, w, mu, res, n) = Σ wᵢ[log(1 + e^ηᵢ) − yᵢηᵢ], writing μᵢ = 1/(1 + e^−ηᵢ) kept in
  ;; [1e−9, 1 − 1e−9] and resᵢ = wᵢ(yᵢ − μᵢ): binomial.evaluate, two observations a step (n even:
  ;; callers pad with a zero-weight observation). With t = e^−|η|: log(1 + e^η) = max(η, 0) +
  ;; log1p(t), log1p(t) = log u + (t − (u − 1))/u for u = 1 + t rounded.
  (func (export "binom") (param $eta i32) (param $y i32) (param $w i32) (param $mu i32)
    (param $res i32) (param $n i32) (result f64)
    (local $end i32) (local $e v128) (local $t v128) (local $u v128) (local $m v128)
    (local $yv v128) (local $wv v128) (local $acc v128)
    (local.set $end (i32.add (local.get $eta) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $acc (v128.const f64x2 0 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $eta) (local.get $end)))
        (local.set $e (v128.load (local.get $eta)))
        (local.set $yv (v128.load (local.get $y)))
        (local.set $wv (v128.load (local.get $w)))
        (local.set $t (call $vexp (f64x2.neg (f64x2.abs (local.get $e)))))
        (local.set $u (f64x2.add (v128.const f64x2 1 1) (local.get $t)))
        (local.set $m (f64x2.div
          (v128.bitselect (v128.const f64x2 1 1) (local.get $t)
            (f64x2.ge (local.get $e) (v128.const f64x2 0 0)))
          (local.get $u)))
        (local.set $m (f64x2.min (f64x2.max (local.get $m) (v128.const f64x2 1e-9 1e-9))
          (v128.const f64x2 0.999999999 0.999999999)))
        (v128.store (local.get $mu) (local.get $m))
        (v128.store (local.get $res)
          (f64x2.mul (local.get $wv) (f64x2.sub (local.get $yv) (local.get $m))))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $wv)
          (f64x2.sub
            (f64x2.add (f64x2.max (local.get $e) (v128.const f64x2 0 0))
              (f64x2.add (call $vlog (local.get $u))
                (f64x2.div
                  (f64x2.sub (local.get $t) (f64x2.sub (local.get $u) (v128.const f64x2 1 1)))
                  (local.get $u))))
            (f64x2.mul (local.get $yv) (local.get $e))))))
        (local.set $eta (i32.add (local.get $eta) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))
        (local.set $mu (i32.add (local.get $mu) (i32.const 16)))
        (local.set $res (i32.add (local.get $res) (i32.const 16)))
        (br $each)))
    (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))

  ;; binomdev(y, w, mu, n) = Σ wᵢ·(−2)[yᵢ log μᵢ + (1 − yᵢ) log(1 − μᵢ)] for μ in [1e−9, 1 − 1e−9]
  ;; (binomial.deviance; n even, padded with zero weight).
  (func (export "binomdev") (param $y i32) (param $w i32) (param $mu i32) (param $n i32)
    (result f64)
    (local $end i32) (local $m v128) (local $yv v128) (local $acc v128)
    (local.set $end (i32.add (local.get $y) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $acc (v128.const f64x2 0 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $y) (local.get $end)))
        (local.set $m (v128.load (local.get $mu)))
        (local.set $yv (v128.load (local.get $y)))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (v128.load (local.get $w))
          (f64x2.add
            (f64x2.mul (local.get $yv) (call $vlog (local.get $m)))
            (f64x2.mul (f64x2.sub (v128.const f64x2 1 1) (local.get $yv))
              (call $vlog (f64x2.sub (v128.const f64x2 1 1) (local.get $m))))))))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))
        (local.set $mu (i32.add (local.get $mu) (i32.const 16)))
        (br $each)))
    (f64.mul (f64.const -2)
      (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc)))))

  ;; pois(eta, y, w, mu, res, n) = Σ wᵢ(e^ηᵢ − yᵢηᵢ), writing μᵢ = e^ηᵢ and resᵢ = wᵢ(yᵢ − μᵢ):
  ;; poisson.evaluate (n even, padded with zero weight).
  (func (export "pois") (param $eta i32) (param $y i32) (param $w i32) (param $mu i32)
    (param $res i32) (param $n i32) (result f64)
    (local $end i32) (local $e v128) (local $m v128) (local $yv v128) (local $wv v128)
    (local $acc v128)
    (local.set $end (i32.add (local.get $eta) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $acc (v128.const f64x2 0 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $eta) (local.get $end)))
        (local.set $e (v128.load (local.get $eta)))
        (local.set $yv (v128.load (local.get $y)))
        (local.set $wv (v128.load (local.get $w)))
        (local.set $m (call $vexp (local.get $e)))
        (v128.store (local.get $mu) (local.get $m))
        (v128.store (local.get $res)
          (f64x2.mul (local.get $wv) (f64x2.sub (local.get $yv) (local.get $m))))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $wv)
          (f64x2.sub (local.get $m) (f64x2.mul (local.get $yv) (local.get $e))))))
        (local.set $eta (i32.add (local.get $eta) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))
        (local.set $mu (i32.add (local.get $mu) (i32.const 16)))
        (local.set $res (i32.add (local.get $res) (i32.const 16)))
        (br $each)))
    (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))

  ;; irlsw(mu, w, out, n, pois): outᵢ = √(wᵢ·max(V(μᵢ), 1e−10)), V(μ) = μ(1 − μ) (binomial) or μ
  ;; (pois ≠ 0): the square roots of the IRLS weights (n even, padded).
  (func (export "irlsw") (param $mu i32) (param $w i32) (param $out i32) (param $n i32)
    (param $pois i32)
    (local $end i32) (local $m v128) (local $v v128)
    (local.set $end (i32.add (local.get $mu) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $mu) (local.get $end)))
        (local.set $m (v128.load (local.get $mu)))
        (local.set $v (if (result v128) (local.get $pois)
          (then (local.get $m))
          (else (f64x2.mul (local.get $m) (f64x2.sub (v128.const f64x2 1 1) (local.get $m))))))
        (v128.store (local.get $out) (f64x2.sqrt (f64x2.mul (v128.load (local.get $w))
          (f64x2.pmax (local.get $v) (v128.const f64x2 1e-10 1e-10)))))
        (local.set $mu (i32.add (local.get $mu) (i32.const 16)))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $each))))

  ;; scale(x, v, n): x[i] ← x[i]·v[i].
  (func (export "scale") (param $x i32) (param $v i32) (param $n i32)
    (local $end i32) (local $end2 i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $end2 (i32.add (local.get $x)
      (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $x) (local.get $end2)))
        (v128.store (local.get $x) (f64x2.mul (v128.load (local.get $x)) (v128.load (local.get $v))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (br $each)))
    (if (i32.lt_u (local.get $x) (local.get $end))
      (then (f64.store (local.get $x) (f64.mul (f64.load (local.get $x)) (f64.load (local.get $v)))))))
)

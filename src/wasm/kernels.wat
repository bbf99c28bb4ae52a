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
)

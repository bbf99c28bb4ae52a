;; Dense kernels over float64 arrays in linear memory, using 128-bit SIMD (2 doubles per lane op).
;; Pointers are byte offsets, 8-byte aligned. Regenerate kernels.ts with: node scripts/build-wasm.mjs
(module
  (import "env" "memory" (memory 1))

  ;; dot(a, b, n) = Σ a[i]·b[i], four doubles per iteration in two independent accumulators.
  (func (export "dot") (param $a i32) (param $b i32) (param $n i32) (result f64)
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
  (func (export "axpy") (param $x i32) (param $y i32) (param $alpha f64) (param $n i32)
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
        (f64.mul (local.get $alpha) (f64.load (local.get $x)))))))))

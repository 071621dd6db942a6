#pragma once
// The operands every panel product's kernel arguments share (PackedGemmArgs, Bf16GemmArgs,
// I8GemmArgs, as tile_driver.h walks them): C (m x b.n, ldc) = A (m rows, lda) times the
// panels of a packed right-hand side b (PackedB, PackedBf16, PackedI8). The caller sets the
// fields of its own kind. For the dispatching code, compiled with the baseline flags.

template <class Args, class A, class Packed>
Args panel_args(int m, const A* a, long lda, const Packed& b, float* c, long ldc) {
  Args g;
  g.m = m;
  g.n = b.n;
  g.k = b.k;
  g.a = a;
  g.lda = lda;
  g.panels = b.panels;
  g.panel_stride = b.panel_stride;
  g.c = c;
  g.ldc = ldc;
  return g;
}

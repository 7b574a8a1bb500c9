// Adapted from fdlibm 5.3 (k_cos.c, k_sin.c, e_rem_pio2.c, s_cos.c), as in V8's
// src/base/ieee754.cc; only the medium-size argument reduction is kept.
//
// ====================================================
// Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//
// Developed at SunSoft, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
// ====================================================
#include "image/fdlibm_cos.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace vips_edge {

namespace {

std::int32_t high_word(double d) {
  std::uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return static_cast<std::int32_t>(bits >> 32);
}

double from_words(std::uint32_t high, std::uint32_t low) {
  const std::uint64_t bits = static_cast<std::uint64_t>(high) << 32 | low;
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

// cos(x + y) on [-pi/4, pi/4], y the tail of x.
double kernel_cos(double x, double y) {
  static const double one = 1.00000000000000000000e+00, C1 = 4.16666666666666019037e-02,
                      C2 = -1.38888888888741095749e-03, C3 = 2.48015872894767294178e-05,
                      C4 = -2.75573143513906633035e-07, C5 = 2.08757232129817482790e-09,
                      C6 = -1.13596475577881948265e-11;
  const std::int32_t ix = high_word(x) & 0x7fffffff;
  if (ix < 0x3e400000 && static_cast<int>(x) == 0) return one;  // |x| < 2^-27
  const double z = x * x;
  const double r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3FD33333) return one - (0.5 * z - (z * r - x * y));  // |x| < 0.3
  const double qx = ix > 0x3fe90000 ? 0.28125 : from_words(static_cast<std::uint32_t>(ix - 0x00200000), 0);  // x/4
  const double hz = 0.5 * z - qx;
  const double a = one - qx;
  return a - (hz - (z * r - x * y));
}

// sin(x + y) on [-pi/4, pi/4], y the tail of x (iy != 0: y is used).
double kernel_sin(double x, double y, int iy) {
  static const double half = 5.00000000000000000000e-01, S1 = -1.66666666666666324348e-01,
                      S2 = 8.33333333332248946124e-03, S3 = -1.98412698298579493134e-04,
                      S4 = 2.75573137070700676789e-06, S5 = -2.50507602534068634195e-08,
                      S6 = 1.58969099521155010221e-10;
  const std::int32_t ix = high_word(x) & 0x7fffffff;
  if (ix < 0x3e400000 && static_cast<int>(x) == 0) return x;  // |x| < 2^-27
  const double z = x * x;
  const double v = z * x;
  const double r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  if (iy == 0) return x + v * (S1 + z * r);
  return x - ((z * (half * y - v * r) - y) - v * S1);
}

// x - n*pi/2 into y[0] + y[1]; returns n. |x| <= 2^19 * pi/2 only.
std::int32_t rem_pio2(double x, double *y) {
  static const std::int32_t npio2_hw[] = {
      0x3FF921FB, 0x400921FB, 0x4012D97C, 0x401921FB, 0x401F6A7A, 0x4022D97C, 0x4025FDBB, 0x402921FB,
      0x402C463A, 0x402F6A7A, 0x4031475C, 0x4032D97C, 0x40346B9C, 0x4035FDBB, 0x40378FDB, 0x403921FB,
      0x403AB41B, 0x403C463A, 0x403DD85A, 0x403F6A7A, 0x40407E4C, 0x4041475C, 0x4042106C, 0x4042D97C,
      0x4043A28C, 0x40446B9C, 0x404534AC, 0x4045FDBB, 0x4046C6CB, 0x40478FDB, 0x404858EB, 0x404921FB,
  };
  static const double half = 5.00000000000000000000e-01, invpio2 = 6.36619772367581382433e-01,
                      pio2_1 = 1.57079632673412561417e+00, pio2_1t = 6.07710050650619224932e-11,
                      pio2_2 = 6.07710050630396597660e-11, pio2_2t = 2.02226624879595063154e-21,
                      pio2_3 = 2.02226624871116645580e-21, pio2_3t = 8.47842766036889956997e-32;
  const std::int32_t hx = high_word(x);
  const std::int32_t ix = hx & 0x7fffffff;
  if (ix <= 0x3fe921fb) {  // |x| ~<= pi/4: no reduction
    y[0] = x;
    y[1] = 0;
    return 0;
  }
  if (ix < 0x4002d97c) {  // |x| < 3pi/4: n = +-1
    if (hx > 0) {
      double z = x - pio2_1;
      if (ix != 0x3ff921fb) {
        y[0] = z - pio2_1t;
        y[1] = (z - y[0]) - pio2_1t;
      } else {  // near pi/2: 33+33+53 bit pi
        z -= pio2_2;
        y[0] = z - pio2_2t;
        y[1] = (z - y[0]) - pio2_2t;
      }
      return 1;
    }
    double z = x + pio2_1;
    if (ix != 0x3ff921fb) {
      y[0] = z + pio2_1t;
      y[1] = (z - y[0]) + pio2_1t;
    } else {
      z += pio2_2;
      y[0] = z + pio2_2t;
      y[1] = (z - y[0]) + pio2_2t;
    }
    return -1;
  }
  if (ix > 0x413921fb) throw std::domain_error("fdlibm_cos: argument beyond 2^19 * pi/2");
  double t = std::fabs(x);
  const std::int32_t n = static_cast<std::int32_t>(t * invpio2 + half);
  const double fn = static_cast<double>(n);
  double r = t - fn * pio2_1;
  double w = fn * pio2_1t;  // first round good to 85 bits
  if (n < 32 && ix != npio2_hw[n - 1]) {
    y[0] = r - w;  // no cancellation
  } else {
    const std::int32_t j = ix >> 20;
    y[0] = r - w;
    std::int32_t i = j - ((high_word(y[0]) >> 20) & 0x7ff);
    if (i > 16) {  // second iteration, good to 118 bits
      t = r;
      w = fn * pio2_2;
      r = t - w;
      w = fn * pio2_2t - ((t - r) - w);
      y[0] = r - w;
      i = j - ((high_word(y[0]) >> 20) & 0x7ff);
      if (i > 49) {  // third iteration, 151 bits
        t = r;
        w = fn * pio2_3;
        r = t - w;
        w = fn * pio2_3t - ((t - r) - w);
        y[0] = r - w;
      }
    }
  }
  y[1] = (r - y[0]) - w;
  if (hx < 0) {
    y[0] = -y[0];
    y[1] = -y[1];
    return -n;
  }
  return n;
}

}  // namespace

double fdlibm_cos(double x) {
  const std::int32_t ix = high_word(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernel_cos(x, 0.0);  // |x| ~<= pi/4
  if (ix >= 0x7ff00000) return x - x;                // inf or NaN
  double y[2];
  switch (rem_pio2(x, y) & 3) {
    case 0: return kernel_cos(y[0], y[1]);
    case 1: return -kernel_sin(y[0], y[1], 1);
    case 2: return -kernel_cos(y[0], y[1]);
    default: return kernel_sin(y[0], y[1], 1);
  }
}

}  // namespace vips_edge

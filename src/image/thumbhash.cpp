// rgbaToThumbHash, operation for operation (thumbhash.hpp): the same order of
// floating-point operations as the JavaScript reference, so the same doubles
// and the same rounding, hence the same bytes; cos() is fdlibm's, as V8's.
#include "image/thumbhash.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "image/fdlibm_cos.hpp"

namespace vips_edge {

namespace {

// JavaScript's Math.round for the non-negative values it is used on here
// (half rounds up; floor(x + 0.5) would round 0.49999999999999994 up).
int js_round(double x) {
  double r = std::floor(x);
  if (x - r >= 0.5) r += 1;
  return static_cast<int>(r);
}

struct Channel {
  double dc = 0;
  std::vector<double> ac;
  double scale = 0;
};

Channel encode_channel(const std::vector<double> &channel, int w, int h, int nx, int ny) {
  Channel out;
  std::vector<double> fx(static_cast<std::size_t>(w));
  for (int cy = 0; cy < ny; ++cy) {
    for (int cx = 0; cx * ny < nx * (ny - cy); ++cx) {
      double f = 0;
      for (int x = 0; x < w; ++x) fx[x] = fdlibm_cos(M_PI / w * cx * (x + 0.5));
      for (int y = 0; y < h; ++y) {
        const double fy = fdlibm_cos(M_PI / h * cy * (y + 0.5));
        for (int x = 0; x < w; ++x) f += channel[static_cast<std::size_t>(x + y * w)] * fx[x] * fy;
      }
      f /= w * h;
      if (cx || cy) {
        out.ac.push_back(f);
        out.scale = std::max(out.scale, std::abs(f));
      } else {
        out.dc = f;
      }
    }
  }
  if (out.scale)
    for (double &a : out.ac) a = 0.5 + 0.5 / out.scale * a;
  return out;
}

}  // namespace

std::vector<std::uint8_t> rgba_to_thumbhash(int w, int h, std::span<const std::uint8_t> rgba) {
  if (w < 1 || h < 1 || w > 100 || h > 100 || rgba.size() != static_cast<std::size_t>(w) * h * 4)
    throw std::invalid_argument("thumbhash: " + std::to_string(w) + "x" + std::to_string(h) +
                                " must fit in 100x100 with 4 bytes a pixel");
  const int n = w * h;

  // The average colour, weighted by alpha.
  double avg_r = 0, avg_g = 0, avg_b = 0, avg_a = 0;
  for (int i = 0, j = 0; i < n; ++i, j += 4) {
    const double alpha = rgba[j + 3] / 255.0;
    avg_r += alpha / 255 * rgba[j];
    avg_g += alpha / 255 * rgba[j + 1];
    avg_b += alpha / 255 * rgba[j + 2];
    avg_a += alpha;
  }
  if (avg_a) {
    avg_r /= avg_a;
    avg_g /= avg_a;
    avg_b /= avg_a;
  }

  const bool has_alpha = avg_a < n;
  const int l_limit = has_alpha ? 5 : 7;  // fewer luminance bits when there is alpha
  const int lx = std::max(1, js_round(static_cast<double>(l_limit * w) / std::max(w, h)));
  const int ly = std::max(1, js_round(static_cast<double>(l_limit * h) / std::max(w, h)));
  std::vector<double> l(n), p(n), q(n), a(n);

  // RGBA -> LPQA, composited over the average colour.
  for (int i = 0, j = 0; i < n; ++i, j += 4) {
    const double alpha = rgba[j + 3] / 255.0;
    const double r = avg_r * (1 - alpha) + alpha / 255 * rgba[j];
    const double g = avg_g * (1 - alpha) + alpha / 255 * rgba[j + 1];
    const double b = avg_b * (1 - alpha) + alpha / 255 * rgba[j + 2];
    l[i] = (r + g + b) / 3;
    p[i] = (r + g) / 2 - b;
    q[i] = r - g;
    a[i] = alpha;
  }

  const Channel lc = encode_channel(l, w, h, std::max(3, lx), std::max(3, ly));
  const Channel pc = encode_channel(p, w, h, 3, 3);
  const Channel qc = encode_channel(q, w, h, 3, 3);
  const Channel ac = has_alpha ? encode_channel(a, w, h, 5, 5) : Channel{};

  // The constants.
  const bool is_landscape = w > h;
  const std::uint32_t header24 = static_cast<std::uint32_t>(js_round(63 * lc.dc)) |
                                 static_cast<std::uint32_t>(js_round(31.5 + 31.5 * pc.dc)) << 6 |
                                 static_cast<std::uint32_t>(js_round(31.5 + 31.5 * qc.dc)) << 12 |
                                 static_cast<std::uint32_t>(js_round(31 * lc.scale)) << 18 |
                                 static_cast<std::uint32_t>(has_alpha) << 23;
  const std::uint32_t header16 = static_cast<std::uint32_t>(is_landscape ? ly : lx) |
                                 static_cast<std::uint32_t>(js_round(63 * pc.scale)) << 3 |
                                 static_cast<std::uint32_t>(js_round(63 * qc.scale)) << 9 |
                                 static_cast<std::uint32_t>(is_landscape) << 15;
  std::vector<std::uint8_t> hash = {
      static_cast<std::uint8_t>(header24 & 255), static_cast<std::uint8_t>((header24 >> 8) & 255),
      static_cast<std::uint8_t>(header24 >> 16), static_cast<std::uint8_t>(header16 & 255),
      static_cast<std::uint8_t>(header16 >> 8)};
  const std::size_t ac_start = has_alpha ? 6 : 5;
  if (has_alpha) hash.push_back(static_cast<std::uint8_t>(js_round(15 * ac.dc) | js_round(15 * ac.scale) << 4));

  // The varying factors, two 4-bit values a byte.
  std::size_t ac_index = 0;
  for (const Channel *c : {&lc, &pc, &qc, &ac}) {
    if (c == &ac && !has_alpha) break;
    for (double f : c->ac) {
      const std::size_t at = ac_start + (ac_index >> 1);
      if (hash.size() <= at) hash.resize(at + 1, 0);
      hash[at] = static_cast<std::uint8_t>(hash[at] | js_round(15 * f) << ((ac_index & 1) << 2));
      ++ac_index;
    }
  }
  return hash;
}

double thumbhash_aspect_ratio(std::span<const std::uint8_t> hash) {
  if (hash.size() < 5) return 1;
  const int header = hash[3];
  const bool has_alpha = hash[2] & 0x80;
  const bool is_landscape = hash[4] & 0x80;
  const int lx = is_landscape ? (has_alpha ? 5 : 7) : header & 7;
  const int ly = is_landscape ? header & 7 : (has_alpha ? 5 : 7);
  return static_cast<double>(lx) / ly;
}

}  // namespace vips_edge

// format=json: what an image request with the same parameters would produce,
// described instead of encoded.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "image/pipeline.hpp"

namespace vips_edge {

// {"source":{"width","height","format","hasAlpha","bytes"},
//  "output":{"width","height","format"},"thumbhash":"<base64>","dominant":"#rrggbb"}
// source: the upright source; output: the prepared image; thumbhash: of the
// output scaled to fit 100x100 (not when already smaller); dominant: the mean
// colour of the most populated 16x16x16 RGB histogram bin of that small image
// (pixels at least half opaque; all pixels when none is).
std::string describe_image(const PreparedImage &prepared);

// The output scaled to fit 100x100, as 8-bit RGBA (what the ThumbHash and the
// dominant colour are computed from).
struct Rgba {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;
};
Rgba small_rgba(const vips::VImage &image);

}  // namespace vips_edge

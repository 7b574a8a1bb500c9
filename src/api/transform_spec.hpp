// TransformSpec: what a URL asks for, parsed and validated (URL API v2).
// The one options struct between the URL parser and the libvips pipeline.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/param_table.hpp"

namespace vips_edge {

// Fit, Gravity and RequestedFormat are generated from the URL API table
// (param_table.hpp, with their to_string). RequestedFormat::Source keeps the
// source's family (JPEG stays JPEG, PNG stays PNG, WebP stays WebP, AVIF
// stays AVIF, a still GIF becomes PNG and an animated one animated WebP:
// image/formats.cpp, image/animation.hpp). Json answers the metadata of what
// Source would produce instead of the image. Gravity's Entropy and Attention
// are libvips' smart crops.

struct Rgb {
  std::uint8_t r = 255, g = 255, b = 255;
  bool operator==(const Rgb &) const = default;
};

// rect: a crop in pixels of the upright source.
struct Rect {
  int x = 0, y = 0, width = 0, height = 0;
  bool operator==(const Rect &) const = default;
};

// fp: a focal point, fractions of the output image's width and height.
struct Point {
  double x = 0.5, y = 0.5;
  bool operator==(const Point &) const = default;
};

// wm: the configured overlay, composited on the output last (image/watermark.hpp),
// the config's placement with wms/wmo applied.
struct WatermarkSpec {
  std::string name;
  Gravity gravity = Gravity::SouthEast;
  int margin = 16;       // output pixels
  double size = 0.2;     // the overlay's width / the output's width
  double opacity = 1.0;  // multiplies the overlay's alpha
  // The overlay file's bytes, attached by the handler from what it keeps for
  // the container's life (handler/watermarks.hpp); null until then.
  std::shared_ptr<const std::vector<std::uint8_t>> overlay;
  bool operator==(const WatermarkSpec &) const = default;
};

struct TransformSpec {
  std::optional<int> width;   // CSS px as requested (before dpr)
  std::optional<int> height;  // CSS px as requested (before dpr)
  double dpr = 1.0;
  Fit fit = Fit::Inside;      // resolved default: Cover when both w and h, else Inside
  Gravity gravity = Gravity::Center;
  bool enlarge = false;
  RequestedFormat format = RequestedFormat::Source;
  std::optional<int> quality;  // 1..100; absent = config default for the output format
  bool progressive = false;    // a JPEG output is interlaced (format=pjpg or progressive=1)
  std::optional<Rgb> background;
  bool accepts_webp = false;   // from the request's Accept header, used by format=auto
  bool accepts_avif = false;   // likewise (every browser that takes AVIF takes WebP)

  // Before resizing, in this order: rect (upright source pixels), trim.
  std::optional<Rect> rect;
  std::optional<int> trim;           // find_trim threshold 1..100
  // The output's orientation: rotate clockwise, then mirror. w/h, pos and fp
  // describe the rotated and mirrored image.
  int rotate = 0;                    // 0, 90, 180 or 270
  bool flip_h = false;               // left <-> right
  bool flip_v = false;               // top <-> bottom
  std::optional<Point> focal;        // fit=cover crop centre (fp)
  // After resizing.
  std::optional<double> blur;        // Gaussian sigma
  std::optional<double> sharpen;     // libvips sharpen sigma
  // An animated GIF/WebP keeps every frame when the output is WebP (anim=0: the first frame only).
  bool animate = true;
  // Last, on the finished output (every frame of an animation).
  std::optional<WatermarkSpec> watermark;
  // exp: unix seconds after which the URL answers 410 (api/expiry.hpp).
  std::optional<std::int64_t> expires;
  // Client hints (api/client_hints.hpp): the HintBits of the parameters given
  // as "auto" (the response's Vary and Accept-CH), and q=auto under
  // Save-Data: the default quality lowered by clientHints.saveDataQualityStep.
  unsigned client_hints = 0;
  bool save_data = false;

  // Output box in device pixels: w/h * dpr, rounded, capped by the config max.
  // Filled by the parser so the pipeline never repeats that arithmetic.
  std::optional<int> target_width;
  std::optional<int> target_height;
  // The config's maxWidth/maxHeight: the output never exceeds them, on the
  // side the URL left free too (a thin source enlarged to w=4096 would
  // otherwise be 4096 x 500,000 px). Filled by the parser.
  int max_width = 4096;
  int max_height = 4096;

  bool operator==(const TransformSpec &) const = default;
};


}  // namespace vips_edge

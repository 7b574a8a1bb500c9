// Text forms of TransformSpec: the names used in URLs (so logs and ETags read
// like the request) and the canonical string.
#include "api/transform_spec.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>

namespace vips_edge {

const char *to_string(Fit fit) {
  switch (fit) {
    case Fit::Cover: return "cover";
    case Fit::Contain: return "contain";
    case Fit::Fill: return "fill";
    case Fit::Inside: return "inside";
    case Fit::Outside: return "outside";
  }
  return "?";
}

const char *to_string(Gravity g) {
  switch (g) {
    case Gravity::Center: return "center";
    case Gravity::North: return "north";
    case Gravity::NorthEast: return "northeast";
    case Gravity::East: return "east";
    case Gravity::SouthEast: return "southeast";
    case Gravity::South: return "south";
    case Gravity::SouthWest: return "southwest";
    case Gravity::West: return "west";
    case Gravity::NorthWest: return "northwest";
    case Gravity::Entropy: return "entropy";
    case Gravity::Attention: return "attention";
  }
  return "?";
}

const char *to_string(RequestedFormat f) {
  switch (f) {
    case RequestedFormat::Source: return "source";
    case RequestedFormat::Jpeg: return "jpeg";
    case RequestedFormat::Png: return "png";
    case RequestedFormat::Webp: return "webp";
    case RequestedFormat::Auto: return "auto";
  }
  return "?";
}

const char *mime_type(ImageFormat f) {
  switch (f) {
    case ImageFormat::Jpeg: return "image/jpeg";
    case ImageFormat::Png: return "image/png";
    case ImageFormat::Webp: return "image/webp";
    case ImageFormat::Gif: return "image/gif";
  }
  return "application/octet-stream";
}

namespace {
// Shortest decimal that parse_spec reads back as the same double (1, 1.5,
// 2.625), with integer arithmetic: locale-independent, and the wasm
// toolchain's libc++ has no floating-point std::to_chars.
std::string format_dpr(double dpr) {
  if (!(dpr > 0 && dpr < 1e3)) return "1";  // never produced by parse_spec
  std::int64_t pow10 = 1, scaled = 0;
  int k = 0;
  for (; k <= 15; ++k, pow10 *= 10) {
    scaled = std::llround(dpr * static_cast<double>(pow10));
    if (static_cast<double>(scaled) / static_cast<double>(pow10) == dpr) break;
  }
  if (k > 15) {  // not a short decimal: keep 15 fractional digits
    k = 15;
    pow10 /= 10;
  }
  std::string out = std::to_string(scaled / pow10);
  if (k > 0) {
    std::string frac = std::to_string(scaled % pow10);
    out += '.' + std::string(static_cast<std::size_t>(k) - frac.size(), '0') + frac;
  }
  return out;
}
}  // namespace

// Fixed field order, URL names, optionals omitted:
//   w=400&h=300&dpr=1.5&fit=cover&pos=center&enlarge=0&fm=auto&q=75&bg=ff0000&webp=1
// `webp` (whether Accept allows WebP) is only written for fm=auto, the one
// case where it changes the output. Config-derived values (target box,
// default quality) are not part of it: the canonical string describes the
// request, and the ETag of a response is computed from its bytes anyway.
std::string TransformSpec::canonical() const {
  std::string out;
  auto add = [&out](const char *name, const std::string &value) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  };
  if (width) add("w", std::to_string(*width));
  if (height) add("h", std::to_string(*height));
  add("dpr", format_dpr(dpr));
  char buf[8];
  add("fit", to_string(fit));
  add("pos", to_string(gravity));
  add("enlarge", enlarge ? "1" : "0");
  add("fm", to_string(format));
  if (quality) add("q", std::to_string(*quality));
  if (background) {
    std::snprintf(buf, sizeof buf, "%02x%02x%02x", background->r, background->g, background->b);
    add("bg", buf);
  }
  if (format == RequestedFormat::Auto) add("webp", accepts_webp ? "1" : "0");
  return out;
}

}  // namespace vips_edge

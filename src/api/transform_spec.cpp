// The canonical string of a TransformSpec (the enums' URL names are generated:
// param_table.hpp).
#include "api/transform_spec.hpp"

#include <cstdio>

#include "api/param_values.hpp"

namespace vips_edge {

// Fixed field order, URL names, optionals omitted:
//   w=400&h=300&dpr=1.5&fit=cover&pos=center&enlarge=0&fm=auto&q=75&bg=ff0000&webp=1
// then the v2 operations when asked for:
//   &rect=0,0,10,10&trim=10&rot=90&flip=hv&fp=0.5,0.5&blur=2&sharpen=1&anim=0
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
  add("dpr", format_decimal(dpr));
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
  if (format == RequestedFormat::Auto && accepts_avif) add("avif", "1");
  if (rect)
    add("rect", std::to_string(rect->x) + "," + std::to_string(rect->y) + "," + std::to_string(rect->width) + "," +
                    std::to_string(rect->height));
  if (trim) add("trim", std::to_string(*trim));
  if (rotate) add("rot", std::to_string(rotate));
  if (flip_h || flip_v) add("flip", std::string(flip_h ? "h" : "") + (flip_v ? "v" : ""));
  if (focal) add("fp", format_decimal(focal->x) + "," + format_decimal(focal->y));
  if (blur) add("blur", format_decimal(*blur));
  if (sharpen) add("sharpen", format_decimal(*sharpen));
  if (!animate) add("anim", "0");
  return out;
}

}  // namespace vips_edge

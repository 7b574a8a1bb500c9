// The text form of every TransformSpec field (spec_text.hpp).
#include "support/spec_text.hpp"

#include <cstdio>

#include "api/param_values.hpp"

namespace vips_edge::test {

// Fixed field order, URL names, optionals omitted:
//   w=400&h=300&dpr=1.5&fit=cover&pos=center&enlarge=0&fm=auto&q=75&bg=ff0000&webp=1
// then the v2 operations when asked for:
//   &rect=0,0,10,10&trim=10&rot=90&flip=hv&fp=0.5,0.5&blur=2&sharpen=1&anim=0
// `webp` (whether Accept allows WebP) is only written for fm=auto, the one
// case where it changes the output. Config-derived values (target box,
// default quality) are not part of it.
std::string spec_text(const TransformSpec &spec) {
  std::string out;
  auto add = [&out](const char *name, const std::string &value) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  };
  if (spec.width) add("w", std::to_string(*spec.width));
  if (spec.height) add("h", std::to_string(*spec.height));
  add("dpr", format_decimal(spec.dpr));
  char buf[8];
  add("fit", to_string(spec.fit));
  add("pos", to_string(spec.gravity));
  add("enlarge", spec.enlarge ? "1" : "0");
  add("fm", to_string(spec.format));
  if (spec.quality) add("q", std::to_string(*spec.quality));
  if (spec.background) {
    std::snprintf(buf, sizeof buf, "%02x%02x%02x", spec.background->r, spec.background->g, spec.background->b);
    add("bg", buf);
  }
  if (spec.format == RequestedFormat::Auto) add("webp", spec.accepts_webp ? "1" : "0");
  if (spec.format == RequestedFormat::Auto && spec.accepts_avif) add("avif", "1");
  if (spec.rect)
    add("rect", std::to_string(spec.rect->x) + "," + std::to_string(spec.rect->y) + "," +
                    std::to_string(spec.rect->width) + "," + std::to_string(spec.rect->height));
  if (spec.trim) add("trim", std::to_string(*spec.trim));
  if (spec.rotate) add("rot", std::to_string(spec.rotate));
  if (spec.flip_h || spec.flip_v) add("flip", std::string(spec.flip_h ? "h" : "") + (spec.flip_v ? "v" : ""));
  if (spec.focal) add("fp", format_decimal(spec.focal->x) + "," + format_decimal(spec.focal->y));
  if (spec.blur) add("blur", format_decimal(*spec.blur));
  if (spec.sharpen) add("sharpen", format_decimal(*spec.sharpen));
  if (!spec.animate) add("anim", "0");
  return out;
}

}  // namespace vips_edge::test

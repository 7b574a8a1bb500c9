// Value parsers for each URL parameter, then the defaults and derived fields.
#include "api/parse_spec.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "api/accept.hpp"
#include "api/api_error.hpp"
#include "api/client_hints.hpp"
#include "api/param_values.hpp"
#include "api/params.hpp"

namespace vips_edge {

namespace {

// The value of enum parameter `p` (its canonical spelling), or the table's
// default for it when absent.
std::string_view enum_or_default(const UrlParams &params, Param p) {
  const GivenParam *given = params.get(p);
  return given ? read_enum(*given, p) : default_value(params, p);
}

// The generated enumerator of enum parameter `p` (param_table.hpp), given or
// defaulted; both enum and values come from the one table row.
template <class E>
E enum_param(const UrlParams &params, Param p) {
  return *enum_named<E>(enum_or_default(params, p));
}

void check_allowed(const GivenParam &p, int value, const std::optional<std::vector<int>> &allowed,
                   const char *what) {
  if (!allowed || std::find(allowed->begin(), allowed->end(), value) != allowed->end()) return;
  std::string list;
  for (int a : *allowed) list += (list.empty() ? "" : ", ") + std::to_string(a);
  invalid_value(p, std::string("not an allowed ") + what + " (allowed: " + list + ")");
}

// See the header: scale both sides by one factor when over the max.
void fill_target(TransformSpec &spec, const Config &config) {
  double w = spec.width ? *spec.width * spec.dpr : 0;
  double h = spec.height ? *spec.height * spec.dpr : 0;
  double factor = 1.0;
  if (w > config.max_width) factor = std::min(factor, config.max_width / w);
  if (h > config.max_height) factor = std::min(factor, config.max_height / h);
  auto box = [factor](double v, int max) {
    return std::clamp(static_cast<int>(std::lround(v * factor)), 1, max);
  };
  if (spec.width) spec.target_width = box(w, config.max_width);
  if (spec.height) spec.target_height = box(h, config.max_height);
  spec.max_width = config.max_width;
  spec.max_height = config.max_height;
}

// A 400 for the later of two parameters the table says cannot be combined.
void check_conflicts(const UrlParams &params) {
  for (std::size_t i = 0; i < kParamCount; ++i) {
    const GivenParam *p = params.get(static_cast<Param>(i));
    if (!p) continue;
    for (std::string_view other : kParams[i].conflicts) {
      auto o = lookup_param(other);
      if (o && static_cast<std::size_t>(*o) < i && params.get(*o))
        invalid_value(*p, "cannot be combined with " + params.get(*o)->name);
    }
  }
}

// wm=name with the config's placement, wms/wmo overriding it; either
// without wm is a 400 (it would split the cache for nothing).
std::optional<WatermarkSpec> read_watermark(const UrlParams &params, const Config &config) {
  const GivenParam *size = params.get(Param::WatermarkSize);
  const GivenParam *opacity = params.get(Param::WatermarkOpacity);
  std::optional<double> size_value, opacity_value;
  if (size) size_value = read_decimal(*size, Param::WatermarkSize);
  if (opacity) opacity_value = read_decimal(*opacity, Param::WatermarkOpacity);
  const GivenParam *name = params.get(Param::Watermark);
  if (!name) {
    if (size || opacity) invalid_value(size ? *size : *opacity, "needs wm");
    return std::nullopt;
  }
  const auto found = config.watermarks.find(name->value);
  if (found == config.watermarks.end()) invalid_value(*name, "no such watermark in the config");
  const WatermarkConfig &w = found->second;
  return WatermarkSpec{name->value, w.gravity, w.margin, size_value.value_or(w.size), opacity_value.value_or(w.opacity),
                       nullptr};
}

}  // namespace

std::optional<TransformSpec> parse_spec(std::string_view querystring, const cf::Headers &headers,
                                        const Config &config) {
  return parse_spec(collect_params(querystring), headers, config);
}

std::optional<TransformSpec> parse_spec(const UrlParams &params, const cf::Headers &headers, const Config &config) {
  if (!params.is_transform()) return std::nullopt;
  check_conflicts(params);

  TransformSpec spec;
  // "auto" (w, dpr, q): resolved from the client hints (client_hints.hpp).
  spec.client_hints = asked_hints(params);
  const Hints hints = request_hints(spec.client_hints, headers, config);
  const bool auto_width = spec.client_hints & kHintWidth;
  if (auto *p = params.get(Param::Width); p && auto_width) {
    spec.width = hints.width;  // device pixels already: a rung, at most maxWidth
    if (spec.width) check_allowed(*p, *spec.width, config.allowed_widths, "width (w=auto's rung)");
  } else if (p) {
    spec.width = read_int(*p, Param::Width, config);
    check_allowed(*p, *spec.width, config.allowed_widths, "width");
  }
  if (auto *p = params.get(Param::Height)) {
    spec.height = read_int(*p, Param::Height, config);
    check_allowed(*p, *spec.height, config.allowed_heights, "height");
  }
  if (auto *p = params.get(Param::Dpr)) {
    spec.dpr = spec.client_hints & kHintDpr ? hints.dpr : read_decimal(*p, Param::Dpr);
    if (auto_width && p->value != "1") invalid_value(*p, "cannot be combined with w=auto (the width hint is in device pixels already)");
  }
  spec.fit = enum_param<Fit>(params, Param::Fit);
  spec.gravity = enum_param<Gravity>(params, Param::Gravity);
  if (auto *p = params.get(Param::FocalPoint)) {
    auto xy = read_decimals(*p, Param::FocalPoint);
    if (spec.fit != Fit::Cover || !spec.width || !spec.height) invalid_value(*p, "needs fit=cover with w and h");
    spec.focal = Point{xy[0], xy[1]};
  }
  spec.enlarge = enum_or_default(params, Param::Enlarge) == "1";
  spec.animate = enum_or_default(params, Param::Animate) == "1";
  if (auto *p = params.get(Param::Rect)) {
    auto r = read_ints(*p, Param::Rect);
    if (r[2] < 1 || r[3] < 1) invalid_value(*p, "an empty rectangle (w and h must be at least 1)");
    spec.rect = Rect{r[0], r[1], r[2], r[3]};
  }
  if (auto *p = params.get(Param::Trim)) spec.trim = read_int(*p, Param::Trim, config);
  if (auto *p = params.get(Param::Rotate)) spec.rotate = std::stoi(std::string(read_enum(*p, Param::Rotate)));
  if (auto *p = params.get(Param::Flip)) {
    std::string_view f = read_enum(*p, Param::Flip);
    spec.flip_h = f.find('h') != std::string_view::npos;
    spec.flip_v = f.find('v') != std::string_view::npos;
  }
  if (auto *p = params.get(Param::Blur)) spec.blur = read_decimal(*p, Param::Blur);
  if (auto *p = params.get(Param::Sharpen)) spec.sharpen = read_decimal(*p, Param::Sharpen);
  if (auto *p = params.get(Param::Format)) spec.format = *enum_named<RequestedFormat>(read_enum(*p, Param::Format));
  spec.progressive = spec.format == RequestedFormat::Pjpg || enum_or_default(params, Param::Progressive) == "1";
  if (auto *p = params.get(Param::Quality); p && spec.client_hints & kHintSaveData) spec.save_data = hints.save_data;
  else if (p) spec.quality = read_int(*p, Param::Quality, config);
  if (auto *p = params.get(Param::Background)) spec.background = read_colour(*p);
  spec.watermark = read_watermark(params, config);
  if (auto *p = params.get(Param::Expires)) spec.expires = read_int64(*p, Param::Expires, config);

  // The deploy template's viewer-request CloudFront Function normalises
  // Accept into x-vips-edge-accept (avif|webp|other) so the cache key
  // splits on one value; without it (local use, other setups) read Accept
  // itself. "avif" means both: the function only says avif when WebP is
  // accepted too (accept.hpp).
  if (const std::string *normalised = headers.first("x-vips-edge-accept")) {
    spec.accepts_avif = *normalised == "avif";
    spec.accepts_webp = spec.accepts_avif || *normalised == "webp";
  } else {
    auto accept = headers.joined("accept");
    spec.accepts_webp = accept && accepts_webp(*accept);
    spec.accepts_avif = spec.accepts_webp && accepts_avif(*accept);
  }
  fill_target(spec, config);
  return spec;
}

}  // namespace vips_edge

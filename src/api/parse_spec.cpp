// Value parsers for each URL parameter, then the defaults and derived fields.
#include "api/parse_spec.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "api/accept.hpp"
#include "api/api_error.hpp"
#include "api/params.hpp"

namespace vips_edge {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

[[noreturn]] void bad(const GivenParam &p, const std::string &what) {
  throw ApiError::invalid_parameter(p.name, p.name + "=" + p.value + ": " + what);
}

int parse_int(const GivenParam &p, int min, int max) {
  const std::string &v = p.value;
  std::string expect = "expected an integer " + std::to_string(min) + ".." + std::to_string(max);
  if (v.empty() || v.size() > 9 || !std::all_of(v.begin(), v.end(), is_digit) ||
      (v.size() > 1 && v[0] == '0'))
    bad(p, expect + " written as plain decimal digits");
  int n = std::stoi(v);
  if (n < min || n > max) bad(p, expect);
  return n;
}

double parse_dpr(const GivenParam &p) {
  const std::string &v = p.value;
  const std::string expect = "expected a decimal number 1..4 such as 1.5";
  auto dot = v.find('.');
  std::string_view whole = std::string_view(v).substr(0, dot);
  std::string_view frac = dot == std::string::npos ? std::string_view{} : std::string_view(v).substr(dot + 1);
  bool ok = !whole.empty() && std::all_of(whole.begin(), whole.end(), is_digit) &&
            !(whole.size() > 1 && whole[0] == '0') &&
            (dot == std::string::npos || (!frac.empty() && std::all_of(frac.begin(), frac.end(), is_digit))) &&
            whole.size() + frac.size() <= 15;
  if (!ok) bad(p, expect);
  // mantissa / 10^k with both exact in a double: one correctly rounded division.
  std::int64_t mantissa = 0;
  for (char c : whole) mantissa = mantissa * 10 + (c - '0');
  double scale = 1;
  for (char c : frac) {
    mantissa = mantissa * 10 + (c - '0');
    scale *= 10;
  }
  double d = static_cast<double>(mantissa) / scale;
  if (!(d >= 1.0 && d <= 4.0)) bad(p, expect);
  return d;
}

Fit parse_fit(const GivenParam &p) {
  const std::string &v = p.value;
  if (v == "cover") return Fit::Cover;
  if (v == "contain") return Fit::Contain;
  if (v == "fill") return Fit::Fill;
  if (v == "inside") return Fit::Inside;
  if (v == "outside") return Fit::Outside;
  bad(p, "expected cover, contain, fill, inside or outside");
}

Gravity parse_gravity(const GivenParam &p) {
  static constexpr Gravity all[] = {Gravity::Center, Gravity::North, Gravity::NorthEast,
                                    Gravity::East, Gravity::SouthEast, Gravity::South,
                                    Gravity::SouthWest, Gravity::West, Gravity::NorthWest,
                                    Gravity::Entropy, Gravity::Attention};
  for (Gravity g : all)
    if (p.value == to_string(g)) return g;
  bad(p, "expected center, north, northeast, east, southeast, south, southwest, west, "
         "northwest, entropy or attention");
}

RequestedFormat parse_format(const GivenParam &p) {
  const std::string &v = p.value;
  if (v == "jpeg" || v == "jpg") return RequestedFormat::Jpeg;
  if (v == "png") return RequestedFormat::Png;
  if (v == "webp") return RequestedFormat::Webp;
  if (v == "auto") return RequestedFormat::Auto;
  bad(p, "expected jpeg, jpg, png, webp or auto");
}

bool parse_enlarge(const GivenParam &p) {
  if (p.value == "0") return false;
  if (p.value == "1") return true;
  bad(p, "expected 0 or 1");
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Rgb parse_bg(const GivenParam &p) {
  const std::string &v = p.value;
  if ((v.size() != 3 && v.size() != 6) ||
      !std::all_of(v.begin(), v.end(), [](char c) { return hex_digit(c) >= 0; }))
    bad(p, "expected a hex colour rgb or rrggbb");
  auto channel = [&](int i) -> std::uint8_t {
    if (v.size() == 3) return static_cast<std::uint8_t>(hex_digit(v[i]) * 17);  // "f" -> ff
    return static_cast<std::uint8_t>(hex_digit(v[2 * i]) * 16 + hex_digit(v[2 * i + 1]));
  };
  return Rgb{channel(0), channel(1), channel(2)};
}

void check_allowed(const GivenParam &p, int value, const std::optional<std::vector<int>> &allowed,
                   const char *what) {
  if (!allowed || std::find(allowed->begin(), allowed->end(), value) != allowed->end()) return;
  std::string list;
  for (int a : *allowed) list += (list.empty() ? "" : ", ") + std::to_string(a);
  bad(p, std::string("not an allowed ") + what + " (allowed: " + list + ")");
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
}

}  // namespace

std::optional<TransformSpec> parse_spec(std::string_view querystring, const cf::Headers &headers,
                                        const Config &config) {
  UrlParams params = collect_params(querystring);
  if (!params.is_transform()) return std::nullopt;

  TransformSpec spec;
  if (auto *p = params.get(Param::Width)) {
    spec.width = parse_int(*p, 1, config.max_width);
    check_allowed(*p, *spec.width, config.allowed_widths, "width");
  }
  if (auto *p = params.get(Param::Height)) {
    spec.height = parse_int(*p, 1, config.max_height);
    check_allowed(*p, *spec.height, config.allowed_heights, "height");
  }
  if (auto *p = params.get(Param::Dpr)) spec.dpr = parse_dpr(*p);
  if (auto *p = params.get(Param::Fit)) spec.fit = parse_fit(*p);
  else spec.fit = spec.width && spec.height ? Fit::Cover : Fit::Inside;
  if (auto *p = params.get(Param::Gravity)) spec.gravity = parse_gravity(*p);
  if (auto *p = params.get(Param::Enlarge)) spec.enlarge = parse_enlarge(*p);
  if (auto *p = params.get(Param::Format)) spec.format = parse_format(*p);
  if (auto *p = params.get(Param::Quality)) spec.quality = parse_int(*p, 1, 100);
  if (auto *p = params.get(Param::Background)) spec.background = parse_bg(*p);

  // The deploy template's viewer-request CloudFront Function normalises
  // Accept into x-vips-edge-accept (webp|other) so the cache key splits on
  // one value; without it (local use, other setups) read Accept itself.
  if (const std::string *normalised = headers.first("x-vips-edge-accept")) {
    spec.accepts_webp = *normalised == "webp";
  } else {
    auto accept = headers.joined("accept");
    spec.accepts_webp = accept && accepts_webp(*accept);
  }
  fill_target(spec, config);
  return spec;
}

}  // namespace vips_edge

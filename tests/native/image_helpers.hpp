// Helpers for the image pipeline tests: fixtures, specs, decoding outputs, and
// images made at test time (noise, a PNG header with huge dimensions).
#pragma once

#include <array>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <vips/vips8>

#include "api/api_error.hpp"
#include "api/config.hpp"
#include "api/transform_spec.hpp"
#include "image/pipeline.hpp"
#include "support/raw_source.hpp"

namespace vips_edge::test {

using Bytes = std::vector<std::uint8_t>;

inline Bytes read_fixture(const std::string &name) {
  std::ifstream in(std::string(VIPS_EDGE_FIXTURES) + "/images/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + name);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

inline TransformSpec box(std::optional<int> w, std::optional<int> h, Fit fit = Fit::Inside, bool enlarge = false) {
  TransformSpec spec;
  spec.width = w;
  spec.height = h;
  spec.target_width = w;
  spec.target_height = h;
  spec.fit = fit;
  spec.enlarge = enlarge;
  return spec;
}

struct Output {
  EncodedImage encoded;
  vips::VImage image;  // the encoded bytes decoded again
};

inline vips::VImage decode(const Bytes &bytes) {
  // new_from_buffer keeps a pointer: copy into memory before `bytes` goes away.
  return vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "").copy_memory();
}

inline Output run(const Bytes &source, const TransformSpec &spec, const Config &config = {},
                  std::optional<int> quality = std::nullopt) {
  PreparedImage prepared = prepare_image(source, spec, config);
  EncodedImage encoded = encode_image(prepared, quality.value_or(prepared.default_quality));
  vips::VImage image = decode(encoded.bytes);
  return {std::move(encoded), image};
}

inline Bytes to_bytes(VipsBlob *blob) {
  const auto *p = static_cast<const std::uint8_t *>(VIPS_AREA(blob)->data);
  Bytes out(p, p + VIPS_AREA(blob)->length);
  vips_area_unref(VIPS_AREA(blob));
  return out;
}

// An "incompressible" RGB PNG: uniform noise, ~3 bytes per pixel after
// deflate. At 1500x1500 it is ~6.7 MB, far over Lambda@Edge's 1 MB body.
inline Bytes make_noise_png(int width = 1500, int height = 1500) {
  auto band = [&] {
    return vips::VImage::gaussnoise(width, height, vips::VImage::option()->set("sigma", 80.0)->set("mean", 128.0));
  };
  vips::VImage rgb = vips::VImage::bandjoin(std::vector<vips::VImage>{band(), band(), band()});
  return to_bytes(rgb.cast(VIPS_FORMAT_UCHAR).pngsave_buffer(vips::VImage::option()->set("compression", 1)));
}

inline std::uint32_t crc32(const std::uint8_t *p, std::size_t n, std::uint32_t crc = 0) {
  crc = ~crc;
  for (std::size_t i = 0; i < n; ++i) {
    crc ^= p[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// A ~70-byte palette PNG whose header claims width x height (its pixel data is
// a stub): decoding it would need gigabytes, reading its header does not.
inline Bytes make_huge_header_png(std::uint32_t width, std::uint32_t height) {
  Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  auto be32 = [](Bytes &b, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
  };
  auto chunk = [&](const char *type, const Bytes &data) {
    be32(png, static_cast<std::uint32_t>(data.size()));
    Bytes body(type, type + 4);
    body.insert(body.end(), data.begin(), data.end());
    png.insert(png.end(), body.begin(), body.end());
    be32(png, crc32(body.data(), body.size()));
  };
  Bytes ihdr;
  be32(ihdr, width);
  be32(ihdr, height);
  ihdr.insert(ihdr.end(), {1, 3, 0, 0, 0});  // bit depth 1, palette, deflate, filter 0, no interlace
  chunk("IHDR", ihdr);
  chunk("PLTE", {0, 0, 0, 255, 255, 255});
  chunk("IDAT", {0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
  chunk("IEND", {});
  return png;
}

template <class F>
ApiError api_error_of(F &&f) {
  try {
    f();
  } catch (const ApiError &e) {
    return e;
  }
  return ApiError(0, "no_error", "no ApiError was thrown");
}

// parse_config's message for a config that fails, else "no error".
inline std::string config_error(std::string_view json) {
  try {
    parse_config(json);
  } catch (const std::invalid_argument &e) {
    return e.what();
  }
  return "no error";
}

inline double channel(const vips::VImage &image, int x, int y, int band) {
  return image.getpoint(x, y)[static_cast<std::size_t>(band)];
}

}  // namespace vips_edge::test

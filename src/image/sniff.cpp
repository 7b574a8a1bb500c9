// Format sniffing by magic bytes, and the loader each sniffed format may use.
#include <algorithm>
#include <string_view>

#include "api/api_error.hpp"
#include "image/loaders.hpp"
#include "image/pipeline.hpp"

namespace vips_edge {
namespace {

bool starts_with(std::span<const std::uint8_t> s, std::size_t offset, std::string_view magic) {
  if (s.size() < offset + magic.size()) return false;
  return std::equal(magic.begin(), magic.end(), s.begin() + static_cast<std::ptrdiff_t>(offset),
                    [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; });
}

// An ISO-BMFF file whose ftyp box names a HEIF brand (AVIF, HEIC, or the
// generic image brands) among its major and compatible brands.
bool is_heif(std::span<const std::uint8_t> s) {
  using namespace std::string_view_literals;
  if (s.size() < 16 || !starts_with(s, 4, "ftyp"sv)) return false;
  const std::size_t box = (std::size_t(s[0]) << 24) | (std::size_t(s[1]) << 16) | (std::size_t(s[2]) << 8) | s[3];
  const std::size_t end = std::min(s.size(), std::max<std::size_t>(box, 16));
  constexpr std::string_view kBrands[] = {"avif"sv, "avis"sv, "mif1"sv, "msf1"sv, "heic"sv,
                                          "heix"sv, "heim"sv, "heis"sv, "hevc"sv, "hevx"sv};
  auto brand_at = [&](std::size_t at) {
    for (std::string_view b : kBrands)
      if (starts_with(s, at, b)) return true;
    return false;
  };
  if (brand_at(8)) return true;  // major brand
  for (std::size_t at = 16; at + 4 <= end; at += 4)
    if (brand_at(at)) return true;
  return false;
}

}  // namespace

ImageFormat sniff_format(std::span<const std::uint8_t> source) {
  using namespace std::string_view_literals;
  if (starts_with(source, 0, "\xFF\xD8\xFF"sv)) return ImageFormat::Jpeg;
  if (starts_with(source, 0, "\x89PNG\r\n\x1A\n"sv)) return ImageFormat::Png;
  if (starts_with(source, 0, "RIFF"sv) && starts_with(source, 8, "WEBP"sv)) return ImageFormat::Webp;
  if (starts_with(source, 0, "GIF87a"sv) || starts_with(source, 0, "GIF89a"sv)) return ImageFormat::Gif;
  if (is_heif(source)) return ImageFormat::Avif;
  throw ApiError::unsupported_format(source.empty() ? "the origin returned an empty body"
                                                    : "the origin body is not a JPEG, PNG, WebP, GIF or AVIF image");
}

const char *loader_nickname(ImageFormat format) {
  switch (format) {
    case ImageFormat::Jpeg: return "jpegload_buffer";
    case ImageFormat::Png: return "pngload_buffer";
    case ImageFormat::Webp: return "webpload_buffer";
    case ImageFormat::Gif: return "gifload_buffer";
    case ImageFormat::Avif: break;  // the codec module decodes it (render.hpp)
  }
  return "";
}

}  // namespace vips_edge

// Format sniffing by magic bytes, and the loader each sniffed format may use.
#include <algorithm>
#include <string_view>

#include "api/api_error.hpp"
#include "util/ftyp.hpp"
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
// generic image brands).
bool is_heif(std::span<const std::uint8_t> s) {
  return has_ftyp_brand(s, {"avif", "avis", "mif1", "msf1", "heic", "heix", "heim", "heis", "hevc", "hevx"});
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

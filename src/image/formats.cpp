// The format table (formats.hpp). Savers: JPEG baseline (progressive only when asked),
// optimize_coding on, trellis off (speed), libjpeg's default chroma
// subsampling (4:2:0 below Q90); PNG deflate level 6 (libdeflate in the module:
// third_party/libspng) with adaptive row filters for opaque images and none
// with alpha (PNG cannot lower quality to fit Lambda's 1 MB body); WebP
// lossy, effort 4, alpha lossless. An animation (a strip with page-height)
// is written by webpsave as an animated WebP with its delay and loop (libvips
// writes them whatever keep says). Every saver keeps no metadata (keep=none:
// no EXIF, XMP, IPTC or ICC; libvips 8.16's savers honour it, WebP included).
#include "image/formats.hpp"

#include <algorithm>
#include <array>

#include "api/api_error.hpp"
#include "util/ftyp.hpp"

namespace vips_edge {

namespace {

using vips::VImage;
using vips::VOption;

bool starts_with(std::span<const std::uint8_t> s, std::size_t offset, std::string_view magic) {
  if (s.size() < offset + magic.size()) return false;
  return std::equal(magic.begin(), magic.end(), s.begin() + static_cast<std::ptrdiff_t>(offset),
                    [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; });
}

using namespace std::string_view_literals;

bool is_jpeg(std::span<const std::uint8_t> s) { return starts_with(s, 0, "\xFF\xD8\xFF"sv); }
bool is_png(std::span<const std::uint8_t> s) { return starts_with(s, 0, "\x89PNG\r\n\x1A\n"sv); }
bool is_webp(std::span<const std::uint8_t> s) { return starts_with(s, 0, "RIFF"sv) && starts_with(s, 8, "WEBP"sv); }
bool is_gif(std::span<const std::uint8_t> s) { return starts_with(s, 0, "GIF87a"sv) || starts_with(s, 0, "GIF89a"sv); }
// An ISO-BMFF file whose ftyp box names a HEIF brand (AVIF, HEIC, or the
// generic image brands).
bool is_heif(std::span<const std::uint8_t> s) {
  return has_ftyp_brand(s, {"avif", "avis", "mif1", "msf1", "heic", "heix", "heim", "heis", "hevc", "hevx"});
}
// TIFF and BigTIFF, either byte order.
bool is_tiff(std::span<const std::uint8_t> s) {
  return starts_with(s, 0, "II*\0"sv) || starts_with(s, 0, "MM\0*"sv) || starts_with(s, 0, "II+\0"sv) ||
         starts_with(s, 0, "MM\0+"sv);
}

VipsBlob *save_jpeg(const VImage &image, int quality, bool progressive) {
  return image.jpegsave_buffer(VImage::option()
                                   ->set("Q", quality)
                                   ->set("optimize_coding", true)
                                   ->set("interlace", progressive)
                                   ->set("trellis_quant", false)
                                   ->set("keep", VIPS_FOREIGN_KEEP_NONE));
}
// Row filters: adaptive ones make opaque photos 25-35 % smaller than none;
// with alpha (cut-outs, logos, flat graphics) none deflates 20 % smaller and
// faster — what sharp does for every PNG (bench/README.md, "PNG: libdeflate").
VipsBlob *save_png(const VImage &image, int, bool) {
  return image.pngsave_buffer(VImage::option()
                                  ->set("compression", 6)
                                  ->set("filter", image.has_alpha() ? VIPS_FOREIGN_PNG_FILTER_NONE
                                                                    : VIPS_FOREIGN_PNG_FILTER_ALL)
                                  ->set("interlace", false)
                                  ->set("keep", VIPS_FOREIGN_KEEP_NONE));
}
VipsBlob *save_webp(const VImage &image, int quality, bool) {
  return image.webpsave_buffer(VImage::option()
                                   ->set("Q", quality)
                                   ->set("effort", 4)
                                   ->set("lossless", false)
                                   ->set("keep", VIPS_FOREIGN_KEEP_NONE));
}

// Indexed by ImageFormat, one row a format. Columns (FormatInfo's order):
// format, name, mime_type, sniff, loader, load, save, lossy, alpha, animated,
// quality, codec, keeps_as.
constexpr std::array<FormatInfo, 6> kFormats = {{
    {ImageFormat::Jpeg, "jpeg", "image/jpeg", is_jpeg, "jpegload_buffer", VImage::jpegload_buffer, save_jpeg, true, false, false, &Config::jpeg_quality, false, ImageFormat::Jpeg},
    {ImageFormat::Png, "png", "image/png", is_png, "pngload_buffer", VImage::pngload_buffer, save_png, false, true, false, nullptr, false, ImageFormat::Png},
    {ImageFormat::Webp, "webp", "image/webp", is_webp, "webpload_buffer", VImage::webpload_buffer, save_webp, true, true, true, &Config::webp_quality, false, ImageFormat::Webp},
    {ImageFormat::Gif, "gif", "image/gif", is_gif, "gifload_buffer", VImage::gifload_buffer, nullptr, false, true, true, nullptr, false, ImageFormat::Png},
    {ImageFormat::Avif, "avif", "image/avif", is_heif, nullptr, nullptr, nullptr, true, true, false, &Config::avif_quality, true, ImageFormat::Avif},
    // Input only (no fm=tiff): kept as JPEG, the one output that fits a
    // print-sized page under the 1 MB rule by lowering its quality; PNG with alpha.
    {ImageFormat::Tiff, "tiff", "image/tiff", is_tiff, nullptr, nullptr, nullptr, false, true, false, nullptr, true, ImageFormat::Jpeg},
}};

constexpr bool indexed_by_format() {
  for (std::size_t i = 0; i < kFormats.size(); ++i)
    if (static_cast<std::size_t>(kFormats[i].format) != i) return false;
  return true;
}
static_assert(indexed_by_format(), "kFormats[i] describes ImageFormat i");

}  // namespace

const FormatInfo &format_info(ImageFormat format) { return kFormats[static_cast<std::size_t>(format)]; }

std::optional<ImageFormat> format_named(std::string_view name) {
  for (const FormatInfo &f : kFormats)
    if (f.name == name) return f.format;
  return std::nullopt;
}

ImageFormat sniff_format(std::span<const std::uint8_t> source) {
  for (const FormatInfo &f : kFormats)
    if (f.sniff(source)) return f.format;
  throw ApiError::unsupported_format(source.empty() ? "the origin returned an empty body"
                                                    : "the origin body is not a JPEG, PNG, WebP, GIF, AVIF or TIFF image");
}

ImageFormat output_format(const TransformSpec &spec, ImageFormat source_format, std::uint64_t output_pixels,
                          bool has_alpha, const Config &config) {
  switch (spec.format) {
    case RequestedFormat::Jpeg:
    case RequestedFormat::Png:
    case RequestedFormat::Webp:
    case RequestedFormat::Avif: return *format_named(to_string(spec.format));  // fm's names are the formats'
    case RequestedFormat::Pjpg: return ImageFormat::Jpeg;  // interlaced: spec.progressive
    case RequestedFormat::Auto:
      if (spec.accepts_avif && output_pixels <= config.avif_auto_max_pixels) return ImageFormat::Avif;
      if (spec.accepts_webp) return ImageFormat::Webp;
      return has_alpha ? ImageFormat::Png : ImageFormat::Jpeg;
    case RequestedFormat::Source:
    case RequestedFormat::Json: break;  // json describes what the source's family gives
  }
  const ImageFormat kept = format_info(source_format).keeps_as;
  return has_alpha && !format_info(kept).alpha ? ImageFormat::Png : kept;
}

}  // namespace vips_edge

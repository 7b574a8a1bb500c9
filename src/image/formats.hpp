// Every image format we read or write, described once: how it is recognised
// (magic bytes), which libvips loader and saver handle it, its MIME type and
// name, whether it is lossy (the 1 MB rule may step its quality down) and
// where its default quality comes from. Every question about a format reads
// its row (formats.cpp); adding a format is a row there.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <vips/vips8>

#include "api/config.hpp"
#include "api/transform_spec.hpp"

namespace vips_edge {

// What a source is and what the pipeline produces. Avif: a HEIF container,
// decoded and encoded by the codec module (handler/render.hpp), never by
// libvips. Tiff: an input only, its first page decoded by the codec module.
enum class ImageFormat { Jpeg, Png, Webp, Gif, Avif, Tiff };

struct FormatInfo {
  ImageFormat format;
  std::string_view name;      // "jpeg": format=json's name, the URL's fm value when it can be asked for
  const char *mime_type;      // "image/jpeg"
  bool (*sniff)(std::span<const std::uint8_t> bytes);  // the magic bytes
  // libvips' buffer loader for it ("jpegload_buffer"; nullptr: the codec
  // module decodes it) and the loader itself (page 0 unless options say n).
  const char *loader;
  vips::VImage (*load)(VipsBlob *blob, vips::VOption *options);
  // Writes the image at quality 1..100 (nullptr: never an output of libvips:
  // GIF becomes PNG, AVIF is the codec module's). Keeps no metadata.
  // `progressive`: an interlaced JPEG (format=pjpg, progressive=1); the
  // other savers ignore it (PNG/WebP interlacing is not offered).
  VipsBlob *(*save)(const vips::VImage &image, int quality, bool progressive);
  bool lossy;                 // a lower quality makes it smaller (the 1 MB rule)
  bool alpha;                 // can hold an alpha band (JPEG cannot: flattened)
  bool animated;              // may hold several frames (animation.hpp)
  int Config::*quality;       // the config's default quality (nullptr: lossless, quality ignored)
  bool codec;                 // decoded (and, if an output, encoded) by the codec module (handler/render.hpp), not libvips
  ImageFormat keeps_as;       // the output when a request keeps the source's family (GIF -> PNG; with alpha, PNG
                              // wherever that output has none: TIFF -> JPEG, or PNG)
};

const FormatInfo &format_info(ImageFormat format);

// The format whose name is `name` ("jpeg"), if any.
std::optional<ImageFormat> format_named(std::string_view name);

inline const char *mime_type(ImageFormat format) { return format_info(format).mime_type; }

// The format a request's image is written in: format=auto resolved (AVIF only
// up to avifAutoMaxPixels of output: its encode time grows with the pixels,
// WebP's far less), else the source's family kept. One rule for the
// pipeline and the work budget (work_budget.hpp), which asks it before decoding.
ImageFormat output_format(const TransformSpec &spec, ImageFormat source_format, std::uint64_t output_pixels,
                          bool has_alpha, const Config &config);

// The format from magic bytes; throws ApiError 415 when it is not one we
// decode (JPEG, PNG, WebP, GIF; AVIF/HEIF and TIFF through the codec module).
ImageFormat sniff_format(std::span<const std::uint8_t> source);

}  // namespace vips_edge

// The libvips pipeline: source bytes + TransformSpec -> encoded image.
// Split in two so the response builder can re-encode at a lower quality
// without decoding and resizing again.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include <vips/vips8>

#include "api/config.hpp"
#include "api/transform_spec.hpp"
#include "image/formats.hpp"

namespace vips_edge {

// What the source is, from its header (format=json reports it).
struct SourceFacts {
  ImageFormat format = ImageFormat::Jpeg;
  int width = 0;            // upright (EXIF orientation applied)
  int height = 0;
  bool has_alpha = false;
  std::size_t bytes = 0;
  int frames = 1;           // an animated GIF/WebP's frames (all of them, kept or not)
};

struct PreparedImage {
  vips::VImage image;       // resized, rotated, sRGB, in memory; an animation is a strip
                            // of frames with page-height, delay and loop (animation.hpp)
  ImageFormat format;       // the output format chosen (format=auto resolved)
  int default_quality;      // spec.quality or the config default for `format`
  SourceFacts source;
  bool progressive = false; // spec.progressive: a JPEG is written interlaced
};

struct EncodedImage {
  std::vector<std::uint8_t> bytes;
  ImageFormat format;
  int width;
  int height;               // one frame's
  int quality;              // quality used (ignored by PNG)
};

// A fetched source, checked once per request (check_source): its bytes and
// the format its magic bytes say. Later steps read the format from here and
// never sniff or check the size again.
struct Source {
  std::span<const std::uint8_t> bytes;
  ImageFormat format;
};

// The source's size against maxInputBytes (ApiError 413), then sniff_format
// (415): what every source passes before anything decodes it.
Source check_source(std::span<const std::uint8_t> bytes, const Config &config);

// Decodes (shrink-on-load), checks max_input_pixels from the header before
// decoding, autorotates, converts to sRGB, runs the spec's operations and
// resize (pipeline.cpp's file comment has the order). Throws ApiError (a 400
// for a rect outside the image). Not for a format the codec module decodes
// (prepare_decoded).
PreparedImage prepare_image(const Source &source, const TransformSpec &spec, const Config &config);

// A source the codec module decoded (AVIF): interleaved 8-bit RGB(A),
// upright, and its ICC profile if it has one.
struct DecodedSource {
  ImageFormat format = ImageFormat::Avif;  // a codec format (formats.hpp): AVIF or TIFF
  int width = 0;
  int height = 0;
  int channels = 3;
  std::span<const std::uint8_t> pixels;
  std::span<const std::uint8_t> icc;
  std::size_t bytes = 0;  // the source file's size
};

// prepare_image's steps for a decoded source (the rect/trim path: the
// source is whole in memory already). Throws ApiError.
PreparedImage prepare_decoded(const DecodedSource &source, const TransformSpec &spec, const Config &config);

// Interleaved 8-bit sRGB pixels (3 or 4 bands): what the codec module encodes.
struct Pixels {
  std::vector<std::uint8_t> data;
  int width = 0;
  int height = 0;
  int channels = 3;
};
Pixels image_pixels(const PreparedImage &prepared);

// Encodes at `quality` (1..100). Throws ApiError.
EncodedImage encode_image(const PreparedImage &prepared, int quality);

// Calls vips_init once (idempotent, thread-safe); sets concurrency.
void init_vips(int concurrency = 0);

}  // namespace vips_edge

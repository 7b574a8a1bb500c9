// Decode policy: from checked source bytes to an upright, sRGB (or grey),
// 8-bit image at the size the resize needs. The header is read first and its
// limits checked before a single pixel is decoded (read_header); then one of
// three paths decodes (pipeline.cpp picks):
//   - decode_resized: libvips' thumbnail with shrink-on-load (and our faster
//     JPEG shrink), the path of every request without rect or trim;
//   - decode_upright: the upright source at full size, for rect and trim;
//   - animation.hpp's assemble_animation, frame by frame.
//
// Truncated input policy (decode_with_policy): decoding runs with
// fail_on=truncated, so a truncated or corrupt image is a 422 (short error
// cache) rather than a grey-bottomed derivative cached for a year. One narrow
// tolerance: a JPEG whose only defect is a missing EOI marker (a common
// "slightly truncated" case) is retried with the marker appended and accepted
// only if it then decodes without a single libjpeg warning.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <vips/vips8>

#include "api/api_error.hpp"
#include "api/config.hpp"
#include "api/transform_spec.hpp"
#include "image/animation.hpp"
#include "image/jpeg_markers.hpp"
#include "image/loaders.hpp"
#include "image/pipeline.hpp"
#include "image/resize_plan.hpp"

namespace vips_edge {

// What the decode needs to know of a source, from its header.
struct SourceInfo {
  ImageFormat format;
  int width, height;  // upright (EXIF orientation applied)
  bool swap;          // the EXIF orientation turns it by 90 or 270 degrees
  bool icc_to_srgb;
  bool cmyk = false;  // converted by srgb_from_cmyk, before thumbnail's resize (decode_resized)
};

// What a source's header says, read once before any pixel is decoded: the
// facts format=json reports, what the decode needs, and the animation to keep.
struct Header {
  SourceFacts facts;
  SourceInfo info;
  std::optional<Animation> animation;
};

// maxInputPixels, from a header, before a single pixel is decoded (413).
void check_pixels(int width, int height, const Config &config);

// The header of a source libvips decodes (its loader checked to be the
// sniffed one), its size limits checked. Throws ApiError.
Header read_header(const Source &source, const TransformSpec &spec, const Config &config);

// Opens `blob` with the format's libvips loader (libvips decodes lazily).
vips::VImage open_source(ImageFormat format, VipsBlob *blob, vips::VOption *options);

// `decode(bytes, fail_on)` under the truncated input policy (file comment).
template <class Decode>
vips::VImage decode_with_policy(std::span<const std::uint8_t> bytes, ImageFormat format, Decode decode) {
  try {
    return decode(bytes, VIPS_FAIL_ON_TRUNCATED);
  } catch (const vips::VError &error) {
    std::string message = take_vips_error(error);
    if (format == ImageFormat::Jpeg && !ends_with_eoi(bytes)) {
      std::vector<std::uint8_t> patched(bytes.begin(), bytes.end());
      patched.push_back(0xFF);
      patched.push_back(0xD9);
      try {
        return decode(std::span<const std::uint8_t>(patched), VIPS_FAIL_ON_WARNING);
      } catch (const vips::VError &retry_error) {
        take_vips_error(retry_error);
      }
    }
    throw ApiError::undecodable_image("the image is corrupt or truncated: " + message);
  }
}

// Decode + resize + colour-manage with shrink-on-load, into memory (decode
// errors surface here).
vips::VImage decode_resized(std::span<const std::uint8_t> bytes, const SourceInfo &source, const ResizePlan &plan,
                            VipsFailOn fail_on);

// The upright source at full size, rect cut out, 8-bit sRGB, in memory.
vips::VImage decode_upright(std::span<const std::uint8_t> bytes, const SourceInfo &source,
                            const std::optional<Rect> &rect, VipsFailOn fail_on);

// An image (a decoded frame, or the codec module's pixels) made upright, rect
// cut out, colour converted like thumbnail does (embedded profile or CMYK
// through lcms), normalised, in memory.
vips::VImage upright_srgb(vips::VImage image, const SourceInfo &source, const std::optional<Rect> &rect,
                          bool drop_opaque_alpha = true);

// The colour conversion of upright_srgb alone (embedded profile or CMYK
// through lcms), lazily: pixel by pixel, so a strip of frames streams through.
vips::VImage to_srgb(vips::VImage image, const SourceInfo &source);

// 8-bit sRGB (or 8-bit grey), alpha kept; a fully opaque alpha band dropped
// (unless `drop_opaque_alpha` is false: the frames of an animation must all
// keep the same bands).
vips::VImage normalise(vips::VImage image, bool drop_opaque_alpha = true);

// thumbnail's geometry on an image already in memory.
vips::VImage resize_decoded(const vips::VImage &image, const ResizePlan &plan);

}  // namespace vips_edge

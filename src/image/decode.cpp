#include "image/decode.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "image/colour.hpp"
#include "image/operations.hpp"
#include "image/vips_memory.hpp"

namespace vips_edge {
namespace {

using vips::VError;
using vips::VImage;

// libvips must pick exactly the loader we sniffed for; anything else (another
// loader claiming the bytes, or none) is refused before any decoding.
void check_loader(std::span<const std::uint8_t> source, ImageFormat format) {
  const char *found = vips_foreign_find_load_buffer(source.data(), source.size());
  vips_error_clear();
  if (!found) throw ApiError::undecodable_image("no decoder accepts these bytes");
  // `found` is a type name (VipsForeignLoadJpegBuffer); compare nicknames,
  // which do not depend on the library behind a loader (libpng or libspng).
  const char *nickname = vips_nickname_find(g_type_from_name(found));
  const char *expected = format_info(format).loader;
  if (!nickname || !expected || std::strcmp(nickname, expected) != 0)
    throw ApiError::unsupported_format(std::string("unexpected image type (") + found + ")");
}

// The header only: size limits before a single pixel is decoded.
VImage open_header(ImageFormat format, VipsBlob *blob) {
  return open_source(format, blob, VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL));
}

int vips_size(ThumbSize size) {
  switch (size) {
    case ThumbSize::Both: return VIPS_SIZE_BOTH;
    case ThumbSize::Down: return VIPS_SIZE_DOWN;
    case ThumbSize::Force: return VIPS_SIZE_FORCE;
  }
  return VIPS_SIZE_BOTH;
}

int vips_crop(ThumbCrop crop) {
  switch (crop) {
    case ThumbCrop::None: return VIPS_INTERESTING_NONE;
    case ThumbCrop::Centre: return VIPS_INTERESTING_CENTRE;
    case ThumbCrop::Low: return VIPS_INTERESTING_LOW;
    case ThumbCrop::High: return VIPS_INTERESTING_HIGH;
    case ThumbCrop::Entropy: return VIPS_INTERESTING_ENTROPY;
    case ThumbCrop::Attention: return VIPS_INTERESTING_ATTENTION;
  }
  return VIPS_INTERESTING_NONE;
}

// thumbnail's geometry options (box, size, crop) and strictness; colour
// management is added by the caller.
vips::VOption *thumbnail_options(const ResizePlan &plan, VipsFailOn fail_on) {
  return VImage::option()
      ->set("height", plan.height)
      ->set("size", vips_size(plan.size))
      ->set("crop", vips_crop(plan.crop))
      ->set("fail_on", static_cast<int>(fail_on));
}

// Colour: a colour image with an embedded ICC profile goes through lcms to
// the sRGB profile. Untagged RGB is taken as sRGB and left alone (an ICC
// export from libvips' own sRGB model shifts saturated colours). Grey stays
// grey. CMYK (always a JPEG here) never reaches thumbnail's own conversion,
// which has no black-point compensation: decode_resized converts the
// shrunk-on-load image first (image/colour.hpp).
vips::VOption *with_colour(vips::VOption *options, bool icc_to_srgb) {
  if (icc_to_srgb) options->set("export_profile", "srgb")->set("intent", VIPS_INTENT_RELATIVE);
  return options;
}

const char *fail_on_string(VipsFailOn fail_on) {
  return fail_on == VIPS_FAIL_ON_WARNING ? "fail_on=warning" : "fail_on=truncated";
}

// Sharp's "fast shrink-on-load": libjpeg decodes at 1/2, 1/4 or 1/8 scale,
// the largest that still leaves the image at least as big as the output.
// libvips' thumbnail (8.14 to 8.16) keeps a factor of two for the reducer instead, so
// it decodes a 20 MP JPEG meant for 800 px at 1/2 where this decodes at 1/4;
// in wasm, without SIMD IDCT, that decode is most of the time (bench/README.md,
// "Levers"). `factor` is the reduction on the less reduced side.
int largest_jpeg_shrink(double factor) { return factor >= 8 ? 8 : factor >= 4 ? 4 : factor >= 2 ? 2 : 1; }

// largest_jpeg_shrink, or 1 when that gains nothing over thumbnail's own choice.
int fast_jpeg_shrink(double factor) {
  const int fast = largest_jpeg_shrink(factor);
  const int libvips = factor >= 16 ? 8 : factor >= 8 ? 4 : factor >= 4 ? 2 : 1;
  return fast > libvips ? fast : 1;
}

}  // namespace

VImage open_source(ImageFormat format, VipsBlob *blob, vips::VOption *options) {
  const auto load = format_info(format).load;
  if (!load) throw ApiError::internal("no libvips loader for this format");  // AVIF: prepare_decoded
  return load(blob, options);
}

// The loader is the one libvips finds for the bytes, already checked to be
// the sniffed one.
VImage decode_resized(std::span<const std::uint8_t> bytes, const SourceInfo &source, const ResizePlan &plan,
                      VipsFailOn fail_on) {
  const Blob blob = blob_view(bytes);
  // libvips' thumbnail_buffer (8.14 to 8.16) drops its own fail_on when it reopens a
  // JPEG for shrink-on-load; the loader option string reaches every open.
  auto thumbnail = [&](int width, vips::VOption *options) {
    return VImage::thumbnail_buffer(blob.get(), width, options->set("option_string", fail_on_string(fail_on)));
  };
  auto libvips_thumbnail = [&] {
    return thumbnail(plan.width, with_colour(thumbnail_options(plan, fail_on), source.icc_to_srgb)).copy_memory();
  };
  if (source.format != ImageFormat::Jpeg) return libvips_thumbnail();

  int out_width = plan.width, out_height = plan.height;  // a crop comes out at the box
  if (plan.crop == ThumbCrop::None) {
    // The size libvips' thumbnail would make. Unrotated and without colour
    // management, building it reads headers only (a rotate or a crop would
    // compute it into memory right away), so the box is turned instead.
    auto *options = thumbnail_options(plan, fail_on)->set("no_rotate", true);
    if (source.swap) options->set("height", plan.width);
    const VImage reference = thumbnail(source.swap ? plan.height : plan.width, options);
    out_width = source.swap ? reference.height() : reference.width();
    out_height = source.swap ? reference.width() : reference.height();
  }
  const double factor = std::min(double(source.width) / out_width, double(source.height) / out_height);
  // CMYK takes this path at any shrink, 1 included: converted before thumbnail sees it.
  const int shrink = source.cmyk ? largest_jpeg_shrink(factor) : fast_jpeg_shrink(factor);
  if (shrink == 1 && !source.cmyk) return libvips_thumbnail();

  VImage shrunk = VImage::jpegload_buffer(blob.get(), VImage::option()
                                                          ->set("shrink", shrink)
                                                          ->set("fail_on", static_cast<int>(fail_on))
                                                          ->set("access", VIPS_ACCESS_SEQUENTIAL));
  if (source.cmyk) shrunk = srgb_from_cmyk(shrunk);
  // A crop comes out at the box whatever the decode size. Any other fit is
  // forced to libvips' size: libjpeg rounds the shrunk sides up, and the
  // residual scale would otherwise be off by a pixel (sharp does the same).
  auto *options = thumbnail_options(plan, fail_on);
  if (plan.crop == ThumbCrop::None) options->set("height", out_height)->set("size", VIPS_SIZE_FORCE);
  return shrunk.thumbnail_image(out_width, with_colour(options, source.icc_to_srgb && !source.cmyk)).copy_memory();
}

VImage normalise(VImage image, bool drop_opaque_alpha) {
  const int colour_bands = image.bands() - (image.has_alpha() ? 1 : 0);
  const bool grey = colour_bands < 3;
  const VipsInterpretation target = grey ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB;
  if (image.interpretation() != target || image.format() != VIPS_FORMAT_UCHAR) image = image.colourspace(target);
  if (image.format() != VIPS_FORMAT_UCHAR) image = image.cast(VIPS_FORMAT_UCHAR);
  if (drop_opaque_alpha && image.has_alpha() && image.extract_band(image.bands() - 1).min() >= 255.0)
    image = image.extract_band(0, VImage::option()->set("n", image.bands() - 1));
  return image;
}

VImage upright_srgb(VImage image, const SourceInfo &source, const std::optional<Rect> &rect,
                    bool drop_opaque_alpha) {
  image = image.autorot();
  if (rect) image = crop_rect(image, *rect);
  return normalise(to_srgb(image, source), drop_opaque_alpha).copy_memory();
}

VImage to_srgb(VImage image, const SourceInfo &source) {
  if (source.cmyk) return srgb_from_cmyk(image);
  if (source.icc_to_srgb)
    return image.icc_transform("srgb", VImage::option()->set("intent", VIPS_INTENT_RELATIVE)->set("embedded", true));
  return image;
}

VImage decode_upright(std::span<const std::uint8_t> bytes, const SourceInfo &source, const std::optional<Rect> &rect,
                      VipsFailOn fail_on) {
  const Blob blob = blob_view(bytes);
  return upright_srgb(open_source(source.format, blob.get(), VImage::option()->set("fail_on", static_cast<int>(fail_on))),
                      source, rect);
}

VImage resize_decoded(const VImage &image, const ResizePlan &plan) {
  return image.thumbnail_image(plan.width, VImage::option()
                                               ->set("height", plan.height)
                                               ->set("size", vips_size(plan.size))
                                               ->set("crop", vips_crop(plan.crop)));
}

void check_pixels(int width, int height, const Config &config) {
  if (std::uint64_t(width) * std::uint64_t(height) > config.max_input_pixels)
    throw ApiError::source_too_large(std::to_string(width) + "x" + std::to_string(height) + " is more than " +
                                     std::to_string(config.max_input_pixels) + " pixels");
}

Header read_header(const Source &source, const TransformSpec &spec, const Config &config) {
  check_loader(source.bytes, source.format);
  // Before libjpeg runs at all: its own limit would make this a 422 (jpeg_markers.hpp).
  if (source.format == ImageFormat::Jpeg)
    if (auto size = jpeg_sof_size(source.bytes)) check_pixels(size->first, size->second, config);
  Header h{{source.format, 0, 0, false, source.bytes.size(), 1}, {source.format, 0, 0, false, false}, std::nullopt};
  try {
    const Blob blob = blob_view(source.bytes);
    const VImage header = open_header(source.format, blob.get());
    h.facts.width = h.info.width = header.width();
    h.facts.height = h.info.height = header.height();
    h.info.swap = vips_image_get_orientation_swap(header.get_image());
    h.facts.has_alpha = header.has_alpha();
    h.info.cmyk = header.interpretation() == VIPS_INTERPRETATION_CMYK;
    h.info.icc_to_srgb = h.info.cmyk || (header.bands() >= 3 && header.get_typeof(VIPS_META_ICC_NAME) != 0);
    h.facts.frames = vips_image_get_n_pages(header.get_image());
    h.animation = animation_to_keep(header, source.format, spec, config);
  } catch (const VError &error) {
    throw ApiError::undecodable_image("cannot read the image header: " + take_vips_error(error));
  }
  check_pixels(h.info.width, h.info.height, config);
  if (h.info.swap) {  // upright from here on
    std::swap(h.info.width, h.info.height);
    std::swap(h.facts.width, h.facts.height);
  }
  return h;
}

}  // namespace vips_edge

// prepare_image, as named steps over a checked Source (check_source: size and
// format, once per request): read_header (loader, limits, orientation,
// animation) -> decode (thumbnail: shrink-on-load, autorotate, sRGB; or the
// upright full-size source for rect/trim, then the resize) -> 8-bit ->
// output format -> crop_step (focal point) -> effects_step (blur, sharpen) ->
// pad_flatten_step (contain padding, alpha flattening) -> orient_step (rot,
// flip) -> in-memory image, ready for encode_image (encode.cpp: the format's
// saver, formats.cpp).
//
// rect and trim need the upright source at full size before resizing: only
// then is the source decoded whole (decode_upright) and resized from memory;
// every other request keeps thumbnail's shrink-on-load and the fast JPEG
// shrink. rot and flip are applied to the small result, the box, anchor and
// focal point having been turned into the source's frame (orientation.hpp).
//
// Animated GIF and WebP (animation.hpp's rule decides when): each frame
// goes through the same steps as a still image that needs its full-size
// source (decode_upright's path), the frames are joined into one strip with
// page-height, and webpsave writes that strip as an animation.
//
// Truncated input policy: decoding runs with fail_on=truncated, so a truncated
// or corrupt image is a 422 (short error cache) rather than a grey-bottomed
// derivative cached for a year. One narrow tolerance: a JPEG whose only defect
// is a missing EOI marker (a common "slightly truncated" case) is retried with
// the marker appended and accepted only if it then decodes without a single
// libjpeg warning.
#include <algorithm>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include "api/api_error.hpp"
#include "image/animation.hpp"
#include "image/colour.hpp"
#include "image/loaders.hpp"
#include "image/operations.hpp"
#include "image/orientation.hpp"
#include "image/pipeline.hpp"
#include "image/resize_plan.hpp"
#include "image/vips_memory.hpp"
#include "image/work_budget.hpp"

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

// Opens an image with the sniffed loader (libvips decodes lazily).
VImage open_image(ImageFormat format, VipsBlob *blob, vips::VOption *options) {
  const auto load = format_info(format).load;
  if (!load) throw ApiError::internal("no libvips loader for this format");  // AVIF: prepare_decoded
  return load(blob, options);
}

// The header only: size limits before a single pixel is decoded.
VImage open_header(ImageFormat format, VipsBlob *blob) {
  return open_image(format, blob, VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL));
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

VipsCompassDirection compass(Gravity gravity) {
  switch (gravity) {
    case Gravity::North: return VIPS_COMPASS_DIRECTION_NORTH;
    case Gravity::NorthEast: return VIPS_COMPASS_DIRECTION_NORTH_EAST;
    case Gravity::East: return VIPS_COMPASS_DIRECTION_EAST;
    case Gravity::SouthEast: return VIPS_COMPASS_DIRECTION_SOUTH_EAST;
    case Gravity::South: return VIPS_COMPASS_DIRECTION_SOUTH;
    case Gravity::SouthWest: return VIPS_COMPASS_DIRECTION_SOUTH_WEST;
    case Gravity::West: return VIPS_COMPASS_DIRECTION_WEST;
    case Gravity::NorthWest: return VIPS_COMPASS_DIRECTION_NORTH_WEST;
    default: return VIPS_COMPASS_DIRECTION_CENTRE;
  }
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

// What the header told us, before any pixel is decoded.
struct SourceInfo {
  ImageFormat format;
  int width, height;  // upright (EXIF orientation applied)
  bool swap;          // the EXIF orientation turns it by 90 or 270 degrees
  bool icc_to_srgb;
  bool cmyk = false;  // converted by srgb_from_cmyk, before thumbnail's resize (decode_resized)
};

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

// Decode + resize + colour-manage, then compute it into memory (decode
// errors surface here). The loader is the one libvips finds for the bytes,
// already checked to be the sniffed one.
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

// Width x height from a JPEG's first SOFn marker segment, read without
// libjpeg; nullopt when the markers before it are malformed or it is absent
// (libjpeg then reports the problem itself).
std::optional<std::pair<int, int>> jpeg_sof_size(std::span<const std::uint8_t> s) {
  std::size_t p = 2;  // after SOI
  while (p + 4 <= s.size()) {
    if (s[p] != 0xFF) return std::nullopt;
    const std::uint8_t marker = s[p + 1];
    if (marker == 0xFF) { ++p; continue; }  // fill byte
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) { p += 2; continue; }  // no length
    if (marker == 0xD9 || marker == 0xDA) return std::nullopt;  // EOI / SOS before any SOF
    const std::size_t length = std::size_t(s[p + 2]) << 8 | s[p + 3];
    if (length < 2) return std::nullopt;
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (length < 7 || p + 9 > s.size()) return std::nullopt;
      return std::pair<int, int>{int(s[p + 7]) << 8 | s[p + 8], int(s[p + 5]) << 8 | s[p + 6]};
    }
    p += 2 + length;
  }
  return std::nullopt;
}

bool ends_with_eoi(std::span<const std::uint8_t> s) {
  return s.size() >= 2 && s[s.size() - 2] == 0xFF && s[s.size() - 1] == 0xD9;
}

// `decode(bytes, fail_on)` under the truncated input policy (file comment).
template <class Decode>
VImage decode_with_policy(std::span<const std::uint8_t> bytes, ImageFormat format, Decode decode) {
  try {
    return decode(bytes, VIPS_FAIL_ON_TRUNCATED);
  } catch (const VError &error) {
    std::string message = take_vips_error(error);
    if (format == ImageFormat::Jpeg && !ends_with_eoi(bytes)) {
      std::vector<std::uint8_t> patched(bytes.begin(), bytes.end());
      patched.push_back(0xFF);
      patched.push_back(0xD9);
      try {
        return decode(std::span<const std::uint8_t>(patched), VIPS_FAIL_ON_WARNING);
      } catch (const VError &retry_error) {
        take_vips_error(retry_error);
      }
    }
    throw ApiError::undecodable_image("the image is corrupt or truncated: " + message);
  }
}

// 8-bit sRGB (or 8-bit grey), alpha kept; a fully opaque alpha band dropped
// (unless `drop_opaque_alpha` is false: the frames of an animation must all
// keep the same bands).
VImage normalise(VImage image, bool drop_opaque_alpha = true) {
  const int colour_bands = image.bands() - (image.has_alpha() ? 1 : 0);
  const bool grey = colour_bands < 3;
  const VipsInterpretation target = grey ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB;
  if (image.interpretation() != target || image.format() != VIPS_FORMAT_UCHAR) image = image.colourspace(target);
  if (image.format() != VIPS_FORMAT_UCHAR) image = image.cast(VIPS_FORMAT_UCHAR);
  if (drop_opaque_alpha && image.has_alpha() && image.extract_band(image.bands() - 1).min() >= 255.0)
    image = image.extract_band(0, VImage::option()->set("n", image.bands() - 1));
  return image;
}

// The upright source at full size, rect cut out, in 8-bit sRGB (or grey), in
// memory (decode errors surface here): what rect and trim work on. Colour is
// converted like thumbnail does (embedded profile or CMYK through lcms).
VImage upright_srgb(VImage image, const SourceInfo &source, const std::optional<Rect> &rect,
                    bool drop_opaque_alpha = true) {
  image = image.autorot();
  if (rect) image = crop_rect(image, *rect);
  if (source.cmyk) {
    image = srgb_from_cmyk(image);
  } else if (source.icc_to_srgb) {
    image = image.icc_transform("srgb", VImage::option()->set("intent", VIPS_INTENT_RELATIVE)->set("embedded", true));
  }
  return normalise(image, drop_opaque_alpha).copy_memory();
}

VImage decode_upright(std::span<const std::uint8_t> bytes, const SourceInfo &source, const std::optional<Rect> &rect,
                      VipsFailOn fail_on) {
  const Blob blob = blob_view(bytes);
  return upright_srgb(open_image(source.format, blob.get(), VImage::option()->set("fail_on", static_cast<int>(fail_on))),
                      source, rect);
}

// thumbnail's geometry on an image already in memory.
VImage resize_decoded(const VImage &image, const ResizePlan &plan) {
  return image.thumbnail_image(plan.width, VImage::option()
                                               ->set("height", plan.height)
                                               ->set("size", vips_size(plan.size))
                                               ->set("crop", vips_crop(plan.crop)));
}

// Colour bands of `image` as a background vector (grey images get one value
// when the colour is grey, otherwise they are turned into sRGB first).
std::vector<double> background_for(VImage &image, Rgb rgb) {
  const bool grey_image = image.bands() - (image.has_alpha() ? 1 : 0) < 3;
  if (grey_image && rgb.r == rgb.g && rgb.g == rgb.b) return {double(rgb.r)};
  if (grey_image) image = image.colourspace(VIPS_INTERPRETATION_sRGB);
  return {double(rgb.r), double(rgb.g), double(rgb.b)};
}

VImage flatten(VImage image, Rgb rgb) {
  if (!image.has_alpha()) return image;
  auto background = background_for(image, rgb);
  image = image.flatten(VImage::option()->set("background", background));
  return image.format() == VIPS_FORMAT_UCHAR ? image : image.cast(VIPS_FORMAT_UCHAR);
}

VImage pad(VImage image, const ResizePlan &plan, Gravity gravity, std::optional<Rgb> rgb) {
  if (image.width() == plan.pad_width && image.height() == plan.pad_height) return image;
  std::vector<double> background;
  if (rgb) {
    background = background_for(image, *rgb);
    if (image.has_alpha()) background.push_back(255.0);
  } else {  // transparent padding
    if (!image.has_alpha()) image = image.bandjoin_const({255.0});
    background.assign(static_cast<std::size_t>(image.bands()), 0.0);
  }
  return image.gravity(compass(gravity), plan.pad_width, plan.pad_height,
                       VImage::option()->set("extend", VIPS_EXTEND_BACKGROUND)->set("background", background));
}

int default_quality(ImageFormat format, const TransformSpec &spec, const Config &config) {
  if (spec.quality) return *spec.quality;
  const auto quality = format_info(format).quality;
  return quality ? config.*quality : 100;  // lossless: quality is ignored
}

// The output's resolution (pixels per mm) when the source's is absurd:
// libvips' PNG saver multiplies it by 1000 into an unsigned int, undefined
// behaviour for a hostile pHYs of 2.7e8 px/mm (fuzz_image_spec, UBSan; the
// wasm build silently wrote 0). Sane values pass through.
VImage with_sane_resolution(VImage image) {
  auto sane = [](double res) { return std::isfinite(res) && res > 0 && res <= 100'000; };
  if (sane(image.xres()) && sane(image.yres())) return image;
  constexpr double k72Dpi = 72 / 25.4;
  return image.copy(VImage::option()->set("xres", k72Dpi)->set("yres", k72Dpi));
}

// The steps after resizing, one function each.

// crop: fit=cover's focal-point crop (the box was planned around fp).
VImage crop_step(VImage image, const ResizePlan &plan) { return plan.focal ? focal_crop(image, plan) : image; }

// effects: blur, then sharpen.
VImage effects_step(VImage image, const TransformSpec &spec) {
  if (spec.blur) image = gaussian_blur(image, *spec.blur);
  if (spec.sharpen) image = sharpen_image(image, *spec.sharpen);
  return image;
}

// pad/flatten: contain's padding (white by default for a format without
// alpha, else transparent), then alpha flattened for a format without alpha.
VImage pad_flatten_step(VImage image, const ResizePlan &plan, const TransformSpec &spec, const TransformSpec &upright,
                        ImageFormat format) {
  const bool alpha = format_info(format).alpha;
  if (plan.pad) image = pad(image, plan, upright.gravity, alpha ? spec.background : spec.background.value_or(Rgb{}));
  return alpha ? image : flatten(image, spec.background.value_or(Rgb{}));
}

// orient: rot and flip, last, on the small result; a sane resolution for the savers.
VImage orient_step(VImage image, const TransformSpec &spec) {
  return with_sane_resolution(apply_orientation(image, orientation_of(spec)));
}

// After resizing, the same for a still image and for every frame of an
// animation: crop, effects, pad/flatten, orient.
VImage finish_frame(VImage image, const ResizePlan &plan, const TransformSpec &spec, const TransformSpec &upright,
                    ImageFormat format) {
  image = crop_step(image, plan);
  image = effects_step(image, spec);
  image = pad_flatten_step(image, plan, spec, upright, format);
  return orient_step(image, spec);
}

// The frames of an animated source, one after another from a sequential
// load (memory holds one decoded source frame and the small results, never
// the whole animation), each through rect, trim, resize and finish_frame,
// then joined into one strip with page-height, delay and loop: the layout
// webpsave writes as an animation. trim's box is found on the first frame
// and cut from every frame, so they keep one size. Sets `plan`.
VImage decode_animation(std::span<const std::uint8_t> bytes, const SourceInfo &source, const Animation &animation,
                        const TransformSpec &spec, const TransformSpec &upright, const Config &config,
                        VipsFailOn fail_on, ResizePlan &plan) {
  const Blob blob = blob_view(bytes);
  const VImage strip = open_image(source.format, blob.get(),
                                  VImage::option()
                                      ->set("n", -1)
                                      ->set("access", VIPS_ACCESS_SEQUENTIAL)
                                      ->set("fail_on", static_cast<int>(fail_on)));
  if (vips_image_get_page_height(strip.get_image()) != animation.page_height ||
      strip.height() != animation.page_height * animation.frames)
    throw ApiError::undecodable_image("the animation's frames do not match its header");
  std::vector<VImage> frames;
  frames.reserve(static_cast<std::size_t>(animation.frames));
  PixelBox trim_box;
  for (int i = 0; i < animation.frames; ++i) {
    VImage frame = upright_srgb(strip.extract_area(0, i * animation.page_height, strip.width(), animation.page_height),
                                source, spec.rect, false);
    if (i == 0) {
      if (spec.trim) trim_box = find_trim_box(frame, *spec.trim);
      const bool trimmed = !trim_box.empty();
      plan = plan_resize(trimmed ? trim_box.width : frame.width(), trimmed ? trim_box.height : frame.height(), upright);
    }
    if (!trim_box.empty()) frame = frame.extract_area(trim_box.left, trim_box.top, trim_box.width, trim_box.height);
    frame = finish_frame(normalise(resize_decoded(frame, plan), false), plan, spec, upright, ImageFormat::Webp);
    frames.push_back(frame.copy_memory());
    if (i == 0 && std::uint64_t(frame.width()) * std::uint64_t(frame.height()) * std::uint64_t(animation.frames) >
                      config.max_frame_pixels)
      throw ApiError::output_too_large(std::to_string(animation.frames) + " frames of " +
                                       std::to_string(frame.width()) + "x" + std::to_string(frame.height()) +
                                       " are more than maxFramePixels (" + std::to_string(config.max_frame_pixels) +
                                       ")");
  }
  const int frame_height = frames.front().height();
  VImage joined = VImage::arrayjoin(frames, VImage::option()->set("across", 1)).copy();
  joined.set(VIPS_META_PAGE_HEIGHT, frame_height);
  joined.set(VIPS_META_N_PAGES, animation.frames);
  if (strip.get_typeof("delay") != 0) joined.set("delay", strip.get_array_int("delay"));
  if (strip.get_typeof("loop") != 0) joined.set("loop", strip.get_int("loop"));
  // Opaque in every frame: the alpha band goes, as for a still image.
  return normalise(joined).copy_memory();
}

// The steps after resizing, for a still image: 8-bit, output format,
// fp/blur/sharpen, padding or flattening, rot and flip, into memory.
PreparedImage finish_still(VImage image, const ResizePlan &plan, const TransformSpec &spec,
                           const TransformSpec &upright, const SourceFacts &facts, const Config &config) {
  try {
    image = normalise(image);
    const ImageFormat format = output_format(spec, facts.format, std::uint64_t(image.width()) * std::uint64_t(image.height()),
                                             image.has_alpha(), config);
    image = finish_frame(image, plan, spec, upright, format).copy_memory();
    return {image, format, default_quality(format, spec, config), facts, spec.progressive};
  } catch (const VError &error) {
    throw ApiError::internal("image processing failed: " + take_vips_error(error));
  }
}

// rect and trim on the upright full-size source, then the resize from memory.
VImage cut_and_resize(VImage image, const TransformSpec &spec, const TransformSpec &upright, ResizePlan &plan) {
  try {
    if (spec.trim) image = trim_border(image, *spec.trim);
    plan = plan_resize(image.width(), image.height(), upright);
    return resize_decoded(image, plan);
  } catch (const VError &error) {
    throw ApiError::internal("image processing failed: " + take_vips_error(error));
  }
}

// maxInputPixels, from a header, before a single pixel is decoded (413).
void check_pixels(int width, int height, const Config &config) {
  if (std::uint64_t(width) * std::uint64_t(height) > config.max_input_pixels)
    throw ApiError::source_too_large(std::to_string(width) + "x" + std::to_string(height) + " is more than " +
                                     std::to_string(config.max_input_pixels) + " pixels");
}

// What a source's header says, read once before any pixel is decoded: the
// facts format=json reports, what the decode needs, and the animation to keep.
struct Header {
  SourceFacts facts;
  SourceInfo info;
  std::optional<Animation> animation;
};

// The header of a source libvips decodes, its size limits checked.
Header read_header(const Source &source, const TransformSpec &spec, const Config &config) {
  check_loader(source.bytes, source.format);
  // libjpeg refuses dimensions over 65500 while reading the header, which
  // would turn "too many pixels" into a 422; read the SOF ourselves first so
  // every oversized JPEG is the documented 413, before libjpeg runs at all.
  // Found by tests/native/test_hostile_input.cpp (a 65535x65535 header).
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

}  // namespace

PreparedImage prepare_decoded(const DecodedSource &source, const TransformSpec &spec, const Config &config) {
  if (source.channels < 3 || source.channels > 4 || source.width < 1 || source.height < 1 ||
      source.pixels.size() != std::size_t(source.width) * std::size_t(source.height) * std::size_t(source.channels))
    throw ApiError::internal("the codec module's pixels do not match their size");
  check_pixels(source.width, source.height, config);
  if (!format_info(source.format).codec) throw ApiError::internal("libvips decodes this format, not the codec module");
  const SourceFacts facts{source.format, source.width, source.height, source.channels == 4, source.bytes, 1};
  enforce_work_budget(spec, {source.width, source.height, source.channels == 4, 1, true, source.bytes},
                      source.format, config);
  const SourceInfo info{source.format, source.width, source.height, false, !source.icc.empty()};
  const TransformSpec upright = in_source_frame(spec);
  ResizePlan plan;
  VImage image;
  try {
    image = VImage::new_from_memory_copy(const_cast<std::uint8_t *>(source.pixels.data()), source.pixels.size(),
                                         source.width, source.height, source.channels, VIPS_FORMAT_UCHAR)
                .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
    if (!source.icc.empty())
      vips_image_set_blob_copy(image.get_image(), VIPS_META_ICC_NAME, source.icc.data(), source.icc.size());
    image = upright_srgb(image, info, spec.rect);
  } catch (const VError &error) {
    // An embedded profile lcms cannot use: the image is unusable as sent.
    throw ApiError::undecodable_image("cannot convert the image to sRGB: " + take_vips_error(error));
  }
  image = cut_and_resize(image, spec, upright, plan);
  return finish_still(image, plan, spec, upright, facts, config);
}

Source check_source(std::span<const std::uint8_t> bytes, const Config &config) {
  if (bytes.size() > config.max_input_bytes) throw ApiError::source_too_large("source is larger than maxInputBytes");
  return {bytes, sniff_format(bytes)};
}

PreparedImage prepare_image(const Source &checked, const TransformSpec &spec, const Config &config) {
  const std::span<const std::uint8_t> source = checked.bytes;
  const ImageFormat source_format = checked.format;
  if (format_info(source_format).codec) throw ApiError::internal("the codec module decodes this format");
  const Header header = read_header(checked, spec, config);
  const SourceFacts &facts = header.facts;
  const SourceInfo &info = header.info;
  const std::optional<Animation> &animation = header.animation;
  enforce_work_budget(spec, {facts.width, facts.height, facts.has_alpha, animation ? animation->frames : 1, false, source.size()},
                      source_format, config);

  // Box, anchor and focal point as seen from the upright source; rot and flip come last.
  const TransformSpec upright = in_source_frame(spec);
  ResizePlan plan;
  VImage image;
  if (animation) {
    image = decode_with_policy(source, source_format, [&](std::span<const std::uint8_t> bytes, VipsFailOn fail_on) {
      return decode_animation(bytes, info, *animation, spec, upright, config, fail_on, plan);
    });
    return {image, ImageFormat::Webp, default_quality(ImageFormat::Webp, spec, config), facts, spec.progressive};
  }
  if (spec.rect || spec.trim) {
    image = decode_with_policy(source, source_format, [&](std::span<const std::uint8_t> bytes, VipsFailOn fail_on) {
      return decode_upright(bytes, info, spec.rect, fail_on);
    });
    image = cut_and_resize(image, spec, upright, plan);
  } else {
    plan = plan_resize(info.width, info.height, upright);
    image = decode_with_policy(source, source_format, [&](std::span<const std::uint8_t> bytes, VipsFailOn fail_on) {
      return decode_resized(bytes, info, plan, fail_on);
    });
  }

  return finish_still(image, plan, spec, upright, facts, config);
}

Pixels image_pixels(const PreparedImage &prepared) {
  try {
    VImage image = prepared.image;
    if (image.bands() - (image.has_alpha() ? 1 : 0) < 3) image = image.colourspace(VIPS_INTERPRETATION_sRGB);
    if (image.format() != VIPS_FORMAT_UCHAR) image = image.cast(VIPS_FORMAT_UCHAR);
    return {image_bytes(image), image.width(), image.height(), image.bands()};
  } catch (const VError &error) {
    throw ApiError::internal("image processing failed: " + take_vips_error(error));
  }
}

}  // namespace vips_edge

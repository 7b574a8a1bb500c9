// The work budget (work_budget.hpp): the estimate, then the checks.
//
// The memory model: the heap's peak is the largest of three phases, each
// counting the large buffers it holds at once (bytes per pixel; bands = 3,
// or 4 with alpha), calibrated against the heap high-water marks the
// packaged handler logs (heapBytes) for bench/worst.mjs's requests:
//   decode + resize  a source decoded whole (rect, trim, an animation's
//                    frame) and its upright copy (or, for an animation
//                    resized as one strip, its horizontally reduced strip:
//                    image/strip_resize.hpp); a PNG's IDAT stream inflated
//                    whole (bands + a filter byte a row, up to 16 MiB, and
//                    the compressed stream gathered for it); the resized
//                    image a smart crop searches (thumbnail copies it to
//                    memory: bands + 1 with the analysis); trim's search
//                    (1); the output
//   finish           the resized output and its finished copy: 2 x bands
//                    (+ 2 x 4 with wm: the overlay and the composited frame)
//   encode           the output + the encoder's buffers: JPEG/PNG 2 (the
//                    output and its base64 response), WebP 6 (ARGB + YUV),
//                    AVIF bands + 34 (the pixels handed over, aom's frames
//                    and encoder state in the codec module: measured RSS)
// plus the source file and 20 MiB. Measured against it (bench/worst.mjs,
// heap high-water marks, estimate in brackets): rect over a 20 MP JPEG 150
// MiB (145), trim on 8 MP 74 (77), attention 1600x1600 on 8 MP 62 (61),
// sharpen 1800 px 45 (44), 4096x4096 JPEG q100 117 (120).
#include "image/work_budget.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "api/api_error.hpp"
#include "api/params.hpp"
#include "image/orientation.hpp"
#include "image/resize_plan.hpp"
#include "image/strip_resize.hpp"

namespace vips_edge {
namespace {

struct Size {
  double width, height;
};

// libvips thumbnail's geometry (its shrink factors: thumbnail_shrink): the
// resized image before a crop, and after it.
struct Thumb {
  Size resized;
  Size out;
};

Thumb thumbnail_geometry(const ResizePlan &plan, double sw, double sh) {
  const bool crop = plan.crop != ThumbCrop::None;
  Size resized;
  if (plan.size == ThumbSize::Force) {
    resized = {double(plan.width), double(plan.height)};
  } else {
    const ThumbShrink shrink = thumbnail_shrink(plan, sw, sh);
    resized = {std::max(1.0, std::round(sw / shrink.h)), std::max(1.0, std::round(sh / shrink.v))};
  }
  Size out = resized;
  if (crop) out = {std::min(resized.width, double(plan.width)), std::min(resized.height, double(plan.height))};
  if (plan.focal) out = {std::min(out.width, double(plan.box_width)), std::min(out.height, double(plan.box_height))};
  if (plan.pad) out = {double(plan.pad_width), double(plan.pad_height)};
  return {resized, out};
}

// blur's cost per pixel grows with sigma up to 8: beyond, operations.cpp blurs
// a reduced copy with sigma between 4 and 8.
double effective_blur_sigma(double sigma) { return sigma >= 8 ? 8 : sigma; }

// sharpen's cost per pixel: a fixed part (to LabS and back) worth a sigma of
// 4, then its mask (measured natively on 3 MP: sigma 0.5 +0.33 s, 3 +0.40 s,
// 10 +0.69 s over the plain resize).
constexpr double kSharpenBase = 4;

constexpr std::uint64_t kMiB = 1ull << 20;
constexpr std::uint64_t kHeapFloor = 20 * kMiB;  // libvips' and libjpeg's buffers, the response
constexpr double kWebpBytesPerPixel = 6;          // libwebp's ARGB picture + its YUV copy
// The pixels handed over, aom's frames and its encoder state in the codec
// module's own memory. Calibrated on peak RSS, the codec module included:
// bench/worst.mjs's 2300 px AVIF (4.0 MP) peaked at 285 MiB; this model with
// kRuntimeBytes says 284 (12 said 194); a 3 MP one peaked at 248-256 MiB (model:
// 246), too close to 256, so maxAvifPixels is 2.5 MP (model: 227).
constexpr double kAvifCodecBytesPerPixel = 34;
// libspng inflates a PNG's IDAT stream whole while its scanlines take at most
// this (WB_MAX_OUT, third_party/libspng/01-whole-buffer-inflate.patch), and
// streams it a row at a time above.
constexpr double kPngWholeInflateBytes = 16 * kMiB;

// The scanlines of an 8-bit PNG (a filter byte a row) and the IDAT stream
// gathered for them (at most the file, and at most the scanlines + 1/64 +
// 1 KiB: the patch's cap); 0 when libspng streams them. A 16-bit PNG's
// scanlines take twice this, under the same 16 MiB.
double png_inflate_bytes(const SourceShape &source, int bands) {
  const double scanlines = double(source.height) * (1.0 + double(source.width) * bands);
  if (scanlines > kPngWholeInflateBytes) return 0;
  return scanlines + std::min(double(source.bytes), scanlines + scanlines / 64 + 1024);
}

std::string mib(std::uint64_t bytes) { return std::to_string((bytes + kMiB - 1) / kMiB) + " MiB"; }
std::string mp(double pixels) {
  const double m = std::round(pixels / 1e5) / 10;
  std::string s = std::to_string(m);
  return s.substr(0, s.find('.') + 2) + " MP";
}

[[noreturn]] void refuse(const std::string &message, std::optional<std::string> param = std::nullopt) {
  throw ApiError(422, "over_budget", message, std::move(param));
}

// The decoded source's upright copy: one frame (rect, trim, or an animation
// frame by frame), or an animation's horizontally reduced strip when
// strip_resize.hpp takes it (the larger of the two: a source with an EXIF
// orientation still goes frame by frame).
double upright_bytes(const TransformSpec &spec, const ResizePlan &plan, double sw, double sh, int bands, int frames) {
  const double frame = sw * sh * bands;
  if (frames < 2) return frame;
  const auto strip = strip_shrink(spec, plan, int(sw), int(sh), bands, frames);
  return strip ? std::max(frame, double(strip->reduced_bytes)) : frame;
}

}  // namespace

WorkEstimate estimate_work(const TransformSpec &spec, const SourceShape &source, ImageFormat source_format,
                           const Config &config) {
  WorkEstimate e;
  const TransformSpec upright = in_source_frame(spec);
  double sw = std::max(1, source.width), sh = std::max(1, source.height);
  if (spec.rect) {  // clipped to the image (a rect outside it is a 400 later)
    sw = std::clamp(std::min<double>(sw, double(spec.rect->x) + spec.rect->width) - spec.rect->x, 1.0, sw);
    sh = std::clamp(std::min<double>(sh, double(spec.rect->y) + spec.rect->height) - spec.rect->y, 1.0, sh);
  }
  const int bands = source.has_alpha ? 4 : 3;
  const bool whole = spec.rect || spec.trim || source.frames > 1;
  // rect decodes the whole source, then keeps its part.
  if (whole) e.whole_pixels = std::uint64_t(source.width) * std::uint64_t(source.height);
  if (spec.trim) e.trim_pixels = std::uint64_t(sw * sh);

  const ResizePlan plan = plan_resize(int(sw), int(sh), upright);
  const Thumb thumb = thumbnail_geometry(plan, sw, sh);
  e.width = int(thumb.out.width);
  e.height = int(thumb.out.height);
  const double frame_pixels = thumb.out.width * thumb.out.height;
  e.output_pixels = std::uint64_t(frame_pixels) * std::uint64_t(std::max(1, source.frames));
  if (plan.crop == ThumbCrop::Entropy || plan.crop == ThumbCrop::Attention)
    e.search_pixels = std::uint64_t(thumb.resized.width * thumb.resized.height);
  // blur and sharpen run on the image after the crop, before padding.
  const double filtered = plan.pad ? std::min(frame_pixels, double(thumb.resized.width * thumb.resized.height))
                                   : frame_pixels;
  if (spec.blur) e.filter_work += filtered * effective_blur_sigma(*spec.blur);
  if (spec.sharpen) e.filter_work += filtered * (kSharpenBase + *spec.sharpen);
  e.filter_work *= std::max(1, source.frames);
  e.output = output_format(spec, source_format, std::uint64_t(frame_pixels), source.has_alpha, config);
  const bool avif_output = format_info(e.output).codec;

  // The heap's peak is the largest of the phases (malloc reuses what a phase frees).
  const double out = frame_pixels * bands * std::max(1, source.frames);
  double decode = 0;  // decode and resize: the whole source and its copy, the image a smart crop searches
  if (source.decoded_whole) decode += sw * sh * bands;
  else if (whole) decode += double(e.whole_pixels) * bands + upright_bytes(spec, plan, sw, sh, bands, source.frames);
  if (source_format == ImageFormat::Png && !source.decoded_whole) decode += png_inflate_bytes(source, bands);
  decode += double(e.search_pixels) * (bands + 1) + double(e.trim_pixels) + out;
  // The resized image and its finished copy; with wm, the scaled overlay and
  // the composited frame too (RGBA, each at most one output frame: image/watermark.hpp).
  const double finish = 2 * out + (spec.watermark ? 2 * frame_pixels * 4 : 0);
  double encoder = 2 * frame_pixels;  // JPEG/PNG: the output buffer, its base64 response
  if (avif_output) encoder = frame_pixels * (bands + kAvifCodecBytesPerPixel);
  else if (e.output == ImageFormat::Webp || source.frames > 1)  // an animation stays animated WebP
    encoder = frame_pixels * kWebpBytesPerPixel;
  const double bytes = double(kHeapFloor) + double(source.bytes) + std::max({decode, finish, out + encoder});
  e.memory_bytes = std::uint64_t(bytes);
  return e;
}

void check_work_budget(const WorkEstimate &e, const TransformSpec &spec, const Config &config) {
  if (e.filter_work > double(config.max_filter_work)) {
    const std::string param = canonical_name(spec.sharpen ? Param::Sharpen : Param::Blur);
    refuse(param + " on a " + std::to_string(e.width) + "x" + std::to_string(e.height) +
               " output is over the work budget (output pixels x sigma " + std::to_string(std::uint64_t(e.filter_work)) +
               " > maxFilterWork " + std::to_string(config.max_filter_work) + "): ask for a smaller output or sigma",
           param);
  }
  if (e.search_pixels > config.max_smart_crop_pixels)
    refuse("a smart crop (pos=" + std::string(to_string(spec.gravity)) + ") would search " + mp(double(e.search_pixels)) +
               ", more than maxSmartCropPixels (" + mp(double(config.max_smart_crop_pixels)) +
               "): ask for a smaller output or another pos",
           canonical_name(Param::Gravity));
  if (e.trim_pixels > config.max_trim_pixels)
    refuse("trim would search " + mp(double(e.trim_pixels)) + " of the source, more than maxTrimPixels (" +
               mp(double(config.max_trim_pixels)) + "): add a rect or leave trim out",
           canonical_name(Param::Trim));
  if (format_info(e.output).codec && e.output_pixels > config.max_avif_pixels)
    refuse("an AVIF of " + std::to_string(e.width) + "x" + std::to_string(e.height) + " is more than maxAvifPixels (" +
               mp(double(config.max_avif_pixels)) + "): ask for a smaller output, or format=webp / format=auto",
           canonical_name(Param::Format));
  if (e.memory_bytes > config.max_working_memory)
    refuse("the request would need about " + mib(e.memory_bytes) + " of memory, more than maxWorkingMemory (" +
           mib(config.max_working_memory) + "): ask for a smaller output");
  if (config.memory_limit_mb) {
    const std::uint64_t limit = config.memory_limit_mb * kMiB;
    if (kRuntimeBytes + e.memory_bytes > limit)
      refuse("the request would need about " + mib(kRuntimeBytes + e.memory_bytes) + " of memory; the function has " +
             std::to_string(config.memory_limit_mb) + " MB: ask for a smaller output");
  }
}

WorkEstimate enforce_work_budget(const TransformSpec &spec, const SourceShape &source, ImageFormat source_format,
                                 const Config &config) {
  WorkEstimate e = estimate_work(spec, source, source_format, config);
  check_work_budget(e, spec, config);
  return e;
}

}  // namespace vips_edge

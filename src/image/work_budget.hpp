// The work budget: what one request may cost, decided from the source's
// header and the TransformSpec before a pixel is decoded. Pure arithmetic
// (no libvips), so every rule is unit-testable.
//
// A request over any budget is refused with a 422 `over_budget` (error TTL),
// `param` naming what to change: the cost of the slowest and the largest
// accepted requests stays bounded (README, "Work budget"). The rules, each
// a Config key:
//   blur / sharpen    output pixels x sigma (blur: its effective sigma, at
//                     most 8: a larger one is computed on a reduced copy;
//                     sharpen: 4 + sigma, its colour conversions cost as much)
//                                                         maxFilterWork
//   pos=entropy|attention  pixels of the resized image the crop is searched in
//                                                         maxSmartCropPixels
//   trim              source pixels searched (after rect)  maxTrimPixels
//   AVIF output       output pixels (format=avif, or an AVIF source kept;
//                     format=auto already stops at avifAutoMaxPixels)
//                                                         maxAvifPixels
//   memory            the request's estimated peak memory  maxWorkingMemory,
//                     and, when the trigger tells it, the function's
//                     memory (Config::memory_limit_mb) less the runtime's
#pragma once

#include <cstdint>

#include "api/config.hpp"
#include "api/transform_spec.hpp"
#include "image/formats.hpp"

namespace vips_edge {

// What the header says about the source, upright (EXIF orientation applied).
struct SourceShape {
  int width = 0;
  int height = 0;
  bool has_alpha = false;
  int frames = 1;              // frames decoded and kept (an animation kept whole), else 1
  bool decoded_whole = false;  // the source is in memory at full size already (the codec module decoded it)
  std::uint64_t bytes = 0;     // the source file, in memory for the whole request
};

// One request's expected cost. Output sizes are libvips thumbnail's
// geometry for the resize plan; trim is assumed to remove nothing (its box is
// unknown before the decode), so the estimate is an upper bound for it.
struct WorkEstimate {
  int width = 0;                       // one output frame, before rot (the turned box is turned back)
  int height = 0;
  std::uint64_t output_pixels = 0;     // all frames
  std::uint64_t search_pixels = 0;     // smart crop: the image it searches (0: none)
  std::uint64_t trim_pixels = 0;       // trim: the source it searches (0: none)
  double filter_work = 0;              // blur + sharpen: pixels x sigma (sharpen: 4 + sigma)
  std::uint64_t whole_pixels = 0;      // source pixels decoded at full size at once (rect, trim, animation frame)
  ImageFormat output = ImageFormat::Jpeg;  // what it is written in (formats.hpp output_format)
  std::uint64_t memory_bytes = 0;      // estimated peak of the module's heap (+ the codec module's for AVIF)
};

// Memory the process takes besides the request's heap (Node ~45 MiB, the
// compiled module, its pthread Worker, libvips' buffers): the packaged
// handler's peak RSS for the 8 MP -> 800 px JPEG (135 MiB, bench/README.md)
// less its heap high-water mark (19 MiB), rounded up. maxWorkingMemory's
// default is 256 MiB less this; a function with Config::memory_limit_mb
// leaves the rest of its memory to the request.
inline constexpr std::uint64_t kRuntimeBytes = 112ull << 20;

// The estimate for `spec` (as parsed: box in the output's frame) on `source`,
// written in the format the pipeline will choose for that output (output_format).
WorkEstimate estimate_work(const TransformSpec &spec, const SourceShape &source, ImageFormat source_format,
                           const Config &config);

// Throws ApiError 422 over_budget naming the first budget `estimate`
// exceeds (and the parameter to change, when one is to blame).
void check_work_budget(const WorkEstimate &estimate, const TransformSpec &spec, const Config &config);

// Both, for the pipeline's entry: returns the estimate for the log.
WorkEstimate enforce_work_budget(const TransformSpec &spec, const SourceShape &source, ImageFormat source_format,
                                 const Config &config);

}  // namespace vips_edge

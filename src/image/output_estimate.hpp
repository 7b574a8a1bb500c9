// Predicting an encoded size without encoding the whole image: the 1 MB
// rule (handler/render.cpp) asks it whether any attempt can still fit before
// it spends a full encode.
//
// The sample: evenly spaced full-width strips of the prepared image (64 rows
// each, on 16-row boundaries: JPEG's MCU rows and WebP's macroblocks stay
// aligned, PNG's filters see their rows), stacked into one small image and encoded with the same
// saver and settings. Its bytes per pixel times the image's pixels predict the
// full encode; ratios between two qualities of the sample scale an actual
// attempt's size to another quality. Measured on the bench's photos and the
// fixtures (tests/native/test_output_estimate.cpp) and bench/worst.mjs's
// 4096 px outputs: JPEG and PNG within ~10 %, WebP within 20 % (over); a
// refusal needs 1.2x the limit (kRefuseMargin): an image that would just have
// fit at the floor may go to the oversize policy, a rare loss, never an error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

#include "image/formats.hpp"
#include "image/pipeline.hpp"

namespace vips_edge {

class OutputEstimate {
 public:
  // Below this many output pixels a full encode is cheap (tens of ms in the
  // module): no sample, the 1 MB rule encodes as it always did.
  static constexpr std::uint64_t kMinPixels = 2'500'000;
  // A prediction refuses only when it is this far over the limit.
  static constexpr double kRefuseMargin = 1.2;
  // A quality chosen from the sample aims at this share of the limit (a 4096
  // px JPEG's sample came out 11 % under its encode).
  static constexpr double kFitMargin = 0.85;
  // Rows per strip (WebP's prediction needs a few macroblock rows of context:
  // 16-row strips overestimated it by 45 %, 64-row ones are within 20 %), at
  // least kMinStrips of them, and about how many pixels the sample takes.
  static constexpr int kStripRows = 64;
  static constexpr int kMinStrips = 4;
  static constexpr std::uint64_t kSamplePixels = 400'000;

  // nullopt when the image is small, or an animation (its frames are
  // delta-coded: a strip of one frame says little about the whole).
  static std::optional<OutputEstimate> of(const PreparedImage &prepared);

  // Predicted encoded bytes of the whole image at `quality`.
  double bytes_at(int quality);
  // Predicted bytes at `to` for an image that took `actual_bytes` at `from`.
  double scaled(std::size_t actual_bytes, int from, int to);

  // True when an image of `predicted_bytes` is so far over what a response
  // of `max_response_bytes` can carry (base64: 4/3 of the bytes, plus the
  // headers) that no encode near it can fit.
  static bool cannot_fit(double predicted_bytes, std::size_t max_response_bytes);

  // The step-down after an attempt at `from` took `actual_bytes` and did not
  // fit: nullopt when, scaled by the sample, not even `floor` can fit (stop);
  // else the highest quality from `proposed` down (in steps of 10, to
  // `floor`) predicted to fit (kFitMargin), so no full encode is spent
  // on a quality the sample already rules out.
  std::optional<int> next_quality(std::size_t actual_bytes, int from, int proposed, int floor,
                                  std::size_t max_response_bytes);

  // The first attempt's quality: `quality` itself unless the sample rules it
  // out (cannot_fit), else the highest one below it (steps of 10, to `floor`)
  // predicted to fit (kFitMargin).
  int first_quality(int quality, int floor, std::size_t max_response_bytes);

  std::uint64_t pixels() const { return pixels_; }
  std::uint64_t sample_pixels() const { return sample_pixels_; }
  int sample_encodes() const { return int(bytes_.size()); }

 private:
  explicit OutputEstimate(PreparedImage sample, std::uint64_t pixels, std::uint64_t sample_pixels)
      : sample_(std::move(sample)), pixels_(pixels), sample_pixels_(sample_pixels) {}
  double sample_bytes(int quality);
  bool prepared_lossless() const { return !format_info(sample_.format).lossy; }

  PreparedImage sample_;
  std::uint64_t pixels_;
  std::uint64_t sample_pixels_;
  std::map<int, double> bytes_;  // sample's encoded bytes by quality
};

}  // namespace vips_edge

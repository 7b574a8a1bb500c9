// OutputEstimate (output_estimate.hpp): a sample of strips, encoded like the
// whole image.
#include "image/output_estimate.hpp"

#include <algorithm>
#include <vector>

#include "api/api_error.hpp"
#include "image/animation.hpp"
#include "image/loaders.hpp"

namespace vips_edge {

using vips::VImage;

std::optional<OutputEstimate> OutputEstimate::of(const PreparedImage &prepared) {
  const VImage &image = prepared.image;
  // Only what libvips encodes here (format_info's saver): the codec module's AVIF is encoded elsewhere.
  if (frame_count(image) > 1 || !format_info(prepared.format).save) return std::nullopt;
  const std::uint64_t pixels = std::uint64_t(image.width()) * std::uint64_t(image.height());
  if (pixels < kMinPixels) return std::nullopt;
  const int rows = image.height() / kStripRows;  // whole strips in the image
  const int strips = std::min(rows, std::max(kMinStrips, int(kSamplePixels / (std::uint64_t(image.width()) * kStripRows))));
  std::vector<VImage> parts;
  parts.reserve(std::size_t(strips));
  try {
    for (int i = 0; i < strips; ++i) {
      // Strip i starts at the middle of its share of the image, on a 16-row boundary.
      const int row = int((std::uint64_t(2 * i + 1) * std::uint64_t(rows)) / std::uint64_t(2 * strips));
      parts.push_back(image.extract_area(0, row * kStripRows, image.width(), kStripRows));
    }
    PreparedImage sample = prepared;
    sample.image = VImage::arrayjoin(parts, VImage::option()->set("across", 1)).copy_memory();
    const std::uint64_t sample_pixels = std::uint64_t(sample.image.width()) * std::uint64_t(sample.image.height());
    return OutputEstimate(std::move(sample), pixels, sample_pixels);
  } catch (const vips::VError &error) {
    throw ApiError::internal("sampling the output failed: " + take_vips_error(error));
  }
}

double OutputEstimate::sample_bytes(int quality) {
  if (prepared_lossless()) quality = 100;
  auto it = bytes_.find(quality);
  if (it != bytes_.end()) return it->second;
  const double bytes = double(encode_image(sample_, quality).bytes.size());
  bytes_.emplace(quality, bytes);
  return bytes;
}

double OutputEstimate::bytes_at(int quality) {
  return sample_bytes(quality) * double(pixels_) / double(sample_pixels_);
}

double OutputEstimate::scaled(std::size_t actual_bytes, int from, int to) {
  return double(actual_bytes) * sample_bytes(to) / std::max(1.0, sample_bytes(from));
}

bool OutputEstimate::cannot_fit(double predicted_bytes, std::size_t max_response_bytes) {
  const double max_image_bytes = double(max_response_bytes) * 3.0 / 4.0;
  return predicted_bytes > max_image_bytes * kRefuseMargin;
}

std::optional<int> OutputEstimate::next_quality(std::size_t actual_bytes, int from, int proposed, int floor,
                                                std::size_t max_response_bytes) {
  if (cannot_fit(scaled(actual_bytes, from, floor), max_response_bytes)) return std::nullopt;
  const double target = double(max_response_bytes) * 3.0 / 4.0 * kFitMargin;
  int quality = proposed;
  while (quality > floor && scaled(actual_bytes, from, quality) > target) quality = std::max(floor, quality - 10);
  return quality;
}

int OutputEstimate::first_quality(int quality, int floor, std::size_t max_response_bytes) {
  if (!cannot_fit(bytes_at(quality), max_response_bytes)) return quality;
  const double target = double(max_response_bytes) * 3.0 / 4.0 * kFitMargin;
  while (quality > floor && bytes_at(quality) > target) quality = std::max(floor, quality - 10);
  return quality;
}

}  // namespace vips_edge

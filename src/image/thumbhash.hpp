// ThumbHash (Evan Wallace, https://evanw.github.io/thumbhash/): a ~25-byte
// placeholder of an image, DCT coefficients of its luminance, colour and
// alpha. Our own C++ of the published algorithm; the author's reference
// implementation (npm `thumbhash`, rgbaToThumbHash) is the test oracle: same
// RGBA in, same bytes out (tests/cases/thumbhash.json, checked on both sides).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace vips_edge {

// `rgba`: width*height*4 bytes, row by row, not premultiplied. Both sides
// 1..100 (the caller scales larger images down first); throws
// std::invalid_argument otherwise.
std::vector<std::uint8_t> rgba_to_thumbhash(int width, int height, std::span<const std::uint8_t> rgba);

// The aspect ratio (width / height) a decoder renders for `hash`
// (thumbHashToApproximateAspectRatio).
double thumbhash_aspect_ratio(std::span<const std::uint8_t> hash);

}  // namespace vips_edge

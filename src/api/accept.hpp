// Accept-header negotiation for format=auto.
#pragma once

#include <string_view>

namespace vips_edge {

// True when the Accept header value (all Accept lines joined with ", ")
// explicitly lists image/webp with q > 0. Parsed as RFC 9110 media ranges:
// type/subtype case-insensitive, parameters after ';', quoted strings may
// contain ',' or ';'. Wildcards (image/*, */*) do not count: browsers that
// decode WebP say so explicitly, and guessing would break old clients.
// "image/webp;q=0" means refused; an image/webp range with a malformed q is
// ignored; if image/webp appears more than once, every occurrence must have
// q > 0.
bool accepts_webp(std::string_view accept);

// The same rule for image/avif. format=auto picks AVIF only when both this
// and accepts_webp hold (the x-vips-edge-accept bucket "avif").
bool accepts_avif(std::string_view accept);

}  // namespace vips_edge

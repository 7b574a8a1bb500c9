// A Cache-Control value whose lifetime ends at a URL's exp: no cache (the
// edge's or the browser's) may keep the answer longer than the URL lives.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vips_edge {

// `cache_control` with every max-age / s-maxage lowered to `limit` seconds
// when larger (0 when limit < 0), and ", max-age=<limit>" appended when it
// has neither (a value without a lifetime would let caches choose one).
// A no-store value is returned unchanged: nothing keeps it. Directive names
// are case-insensitive; a malformed delta is replaced too.
std::string cap_max_age(std::string_view cache_control, std::int64_t limit);

}  // namespace vips_edge

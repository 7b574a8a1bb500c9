// exp: a URL that stops working at a time. The time comes from the caller
// (the trigger passes the clock to plan), so the C++ stays deterministic and
// its tests choose "now".
#pragma once

#include <cstdint>
#include <optional>

#include "api/transform_spec.hpp"

namespace vips_edge {

// The seconds `spec` has left at `now` (unix seconds): nullopt without exp,
// else exp - now, at least 1. Throws ApiError 410 expired once exp <= now.
// The caller caps the response's max-age with it (http/max_age.hpp), so no
// cache keeps an answer beyond exp.
std::optional<std::int64_t> seconds_left(const TransformSpec &spec, std::int64_t now);

}  // namespace vips_edge

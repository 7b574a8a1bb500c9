#include "api/expiry.hpp"

#include <string>

#include "api/api_error.hpp"

namespace vips_edge {

std::optional<std::int64_t> seconds_left(const TransformSpec &spec, std::int64_t now) {
  if (!spec.expires) return std::nullopt;
  if (*spec.expires <= now)
    throw ApiError::expired("exp=" + std::to_string(*spec.expires) + ": this URL expired " +
                            std::to_string(now - *spec.expires) + " s ago");
  return *spec.expires - now;
}

}  // namespace vips_edge

// The request path's image steps from raw bytes, for the tests: the source
// checked first (check_source), as Handler::finish does once per request.
#pragma once

#include <cstdint>
#include <span>

#include "handler/render.hpp"
#include "image/pipeline.hpp"

namespace vips_edge {

PreparedImage prepare_image(std::span<const std::uint8_t> bytes, const TransformSpec &spec, const Config &config);

RenderStep render(std::span<const std::uint8_t> bytes, const TransformSpec &spec, const ResponseMeta &meta,
                  const Config &config);

}  // namespace vips_edge

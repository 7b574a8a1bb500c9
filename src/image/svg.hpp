// SVG is recognised but never rasterised: a renderer runs whatever the file
// asks of it (external references, scripts, billion-laughs entities), and a
// vector image scales itself. The config's "svg" decides between a 415 and
// returning the bytes unchanged under a sandboxing CSP (http/svg_response.hpp).
#pragma once

#include <cstdint>
#include <span>

namespace vips_edge {

// Whether `bytes` is an SVG document: after an optional UTF-8 BOM,
// whitespace, an XML declaration, comments, processing instructions and a
// DOCTYPE, the root element is <svg>. Looks at the first 64 KiB only.
bool looks_like_svg(std::span<const std::uint8_t> bytes);

}  // namespace vips_edge

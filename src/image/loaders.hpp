// Internal helpers shared by the src/image/*.cpp files (not part of the
// pipeline interface).
#pragma once

#include <string>

#include <vips/vips8>

#include "api/transform_spec.hpp"

namespace vips_edge {

// libvips' buffer loader for a sniffed format, e.g. "jpegload_buffer".
const char *loader_nickname(ImageFormat format);

// VError's text, with libvips' global error buffer cleared (VError copies the
// buffer but leaves it to grow across requests otherwise).
std::string take_vips_error(const vips::VError &error);

}  // namespace vips_edge

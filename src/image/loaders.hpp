// Internal helpers shared by the src/image/*.cpp files (not part of the
// pipeline interface).
#pragma once

#include <string>

#include <vips/vips8>

namespace vips_edge {

// VError's text, with libvips' global error buffer cleared (VError copies the
// buffer but leaves it to grow across requests otherwise).
std::string take_vips_error(const vips::VError &error);

}  // namespace vips_edge

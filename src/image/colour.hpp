// CMYK to sRGB as Photoshop (and sharp) show it: lcms with the relative
// colorimetric intent and black-point compensation, from the embedded
// profile, or libvips' built-in CMYK profile when there is none. Without
// the compensation the CMYK black (about L* 9 on coated stock) is kept
// colorimetrically, above sRGB's black: every channel came out ~7 levels
// lighter than sharp's.
#pragma once

#include <vips/vips8>

namespace vips_edge {

// A CMYK image (4 bands, plus alpha if any) in 8-bit sRGB.
vips::VImage srgb_from_cmyk(const vips::VImage &image);

}  // namespace vips_edge

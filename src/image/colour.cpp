#include "image/colour.hpp"

namespace vips_edge {

vips::VImage srgb_from_cmyk(const vips::VImage &image) {
  return image.icc_transform("srgb", vips::VImage::option()
                                         ->set("input_profile", "cmyk")  // when nothing is embedded
                                         ->set("embedded", true)
                                         ->set("intent", VIPS_INTENT_RELATIVE)
                                         ->set("black_point_compensation", true)
                                         ->set("depth", 8));
}

}  // namespace vips_edge

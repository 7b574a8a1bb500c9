// rot and flip turn the OUTPUT: w/h, pos and fp describe the rotated and
// mirrored image. The pipeline resizes the upright source as decoded (so
// shrink-on-load still applies) and turns only the small result at the end;
// for that it needs the request as seen from the source's frame: the box
// sides swapped for 90/270, the anchor and the focal point turned back.
// Pure arithmetic, no libvips.
#pragma once

#include "api/transform_spec.hpp"

namespace vips_edge {

// The output's orientation relative to the upright source: rotate clockwise
// by `rotate`, then mirror.
struct Orientation {
  int rotate = 0;  // 0, 90, 180, 270
  bool flip_h = false;
  bool flip_v = false;
  bool is_identity() const { return rotate == 0 && !flip_h && !flip_v; }
};

Orientation orientation_of(const TransformSpec &spec);

// The anchor / focal point in the source's frame for one seen in the output.
Gravity to_source_frame(Gravity gravity, Orientation o);
Point to_source_frame(Point point, Orientation o);

// `spec` with its box, gravity and focal point in the source's frame (and no
// orientation left to apply).
TransformSpec in_source_frame(const TransformSpec &spec);

}  // namespace vips_edge

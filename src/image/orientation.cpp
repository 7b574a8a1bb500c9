// Turning output directions back into the source's frame (orientation.hpp).
// Directions are vectors (dx, dy): x grows east, y grows south. A clockwise
// quarter turn sends north (0,-1) to east (1,0): (dx, dy) -> (-dy, dx). The
// output is flip(rot(source)), so a direction seen in the output is mirrored
// back first, then turned counter-clockwise.
#include "image/orientation.hpp"

#include <utility>

namespace vips_edge {

namespace {

struct Vec {
  double x, y;
};

Vec to_source(Vec v, Orientation o) {
  if (o.flip_h) v.x = -v.x;
  if (o.flip_v) v.y = -v.y;
  for (int turns = o.rotate / 90; turns > 0; --turns) v = {v.y, -v.x};  // counter-clockwise
  return v;
}

int sign(double v) { return v > 0 ? 1 : v < 0 ? -1 : 0; }

}  // namespace

Orientation orientation_of(const TransformSpec &spec) { return {spec.rotate, spec.flip_h, spec.flip_v}; }

Gravity to_source_frame(Gravity gravity, Orientation o) {
  static constexpr Gravity kCompass[3][3] = {
      {Gravity::NorthWest, Gravity::North, Gravity::NorthEast},
      {Gravity::West, Gravity::Center, Gravity::East},
      {Gravity::SouthWest, Gravity::South, Gravity::SouthEast}};
  for (int row = 0; row < 3; ++row)
    for (int col = 0; col < 3; ++col)
      if (kCompass[row][col] == gravity) {
        Vec v = to_source({double(col - 1), double(row - 1)}, o);
        return kCompass[sign(v.y) + 1][sign(v.x) + 1];
      }
  return gravity;  // entropy, attention: no direction
}

Point to_source_frame(Point point, Orientation o) {
  Vec v = to_source({point.x - 0.5, point.y - 0.5}, o);
  return {v.x + 0.5, v.y + 0.5};
}

TransformSpec in_source_frame(const TransformSpec &spec) {
  const Orientation o = orientation_of(spec);
  TransformSpec out = spec;
  out.rotate = 0;
  out.flip_h = out.flip_v = false;
  if (o.is_identity()) return out;
  if (o.rotate == 90 || o.rotate == 270) {
    std::swap(out.width, out.height);
    std::swap(out.target_width, out.target_height);
    std::swap(out.max_width, out.max_height);
  }
  out.gravity = to_source_frame(spec.gravity, o);
  if (spec.focal) out.focal = to_source_frame(*spec.focal, o);
  return out;
}

}  // namespace vips_edge

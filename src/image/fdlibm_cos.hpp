// cos() as fdlibm 5.3 computes it, for arguments below 2^19 * pi/2: what V8's
// Math.cos returned up to Node 20 (src/base/ieee754.cc), so our ThumbHash DCT
// rounds exactly like the JavaScript reference implementation. glibc's cos
// differs from it in the last bit for ~3% of the ThumbHash angles, and a
// coefficient that is mathematically 0.5 (a symmetric image) then rounds the
// other way. Larger arguments are never needed here and are refused.
#pragma once

namespace vips_edge {

double fdlibm_cos(double x);

}  // namespace vips_edge

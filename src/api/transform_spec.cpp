// The canonical string of a TransformSpec (the enums' URL names are generated:
// param_table.hpp).
#include "api/transform_spec.hpp"

#include <cstdio>

#include "api/param_values.hpp"

namespace vips_edge {

}  // namespace vips_edge

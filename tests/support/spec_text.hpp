// Every field of a parsed TransformSpec as text, in a fixed order with URL
// names, e.g. "w=400&h=300&dpr=1&fit=cover&pos=center&enlarge=0&fm=webp&q=75":
// what the parser tests compare. (The product logs the canonical query,
// api/canonical.hpp, instead.)
#pragma once

#include <string>

#include "api/transform_spec.hpp"

namespace vips_edge::test {

std::string spec_text(const TransformSpec &spec);

}  // namespace vips_edge::test

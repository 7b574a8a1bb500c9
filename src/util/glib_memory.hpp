// Memory glib (and libvips through it) hands over to be g_free'd, held by a
// unique_ptr so no path can leak or free it twice.
#pragma once

#include <memory>

#include <glib.h>

namespace vips_edge {

struct GFree {
  void operator()(void *p) const { g_free(p); }
};

// GMemory<gchar> text(g_base64_encode(...)); GMemory<void> pixels(image.write_to_memory(&size));
template <class T>
using GMemory = std::unique_ptr<T, GFree>;

}  // namespace vips_edge

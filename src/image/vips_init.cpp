// One-time libvips set-up for a long-lived Lambda process.
#include <mutex>
#include <stdexcept>

#include "image/loaders.hpp"
#include "image/pipeline.hpp"

namespace vips_edge {

void init_vips(int concurrency) {
  static std::once_flag once;
  std::call_once(once, [] {
    if (VIPS_INIT("vips-edge") != 0) throw std::runtime_error("vips_init failed: " + std::string(vips_error_buffer()));
    // Every request is a different image: an operation cache only holds memory.
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_cache_set_max_files(0);
    // Never let libvips reach for loaders marked untrusted (magick, pdf, svg,
    // ...) even in builds that have them; we call our four loaders by name.
    vips_block_untrusted_set(TRUE);
    vips_leak_set(FALSE);
  });
  if (concurrency > 0) vips_concurrency_set(concurrency);
}

std::string take_vips_error(const vips::VError &error) {
  std::string message = error.what();
  vips_error_clear();
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

}  // namespace vips_edge

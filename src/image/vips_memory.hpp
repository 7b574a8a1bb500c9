// libvips' reference-counted buffers, held by RAII types: a VipsBlob is
// unreffed on scope exit, memory from write_to_memory is g_free'd.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <vips/vips8>

#include "util/glib_memory.hpp"

namespace vips_edge {

struct BlobUnref {
  void operator()(VipsBlob *blob) const { vips_area_unref(VIPS_AREA(blob)); }
};

// A blob a saver returned, or one viewing caller-owned bytes (blob_view).
using Blob = std::unique_ptr<VipsBlob, BlobUnref>;

// A VipsBlob viewing `bytes` (no copy): `bytes` must outlive it.
inline Blob blob_view(std::span<const std::uint8_t> bytes) {
  return Blob(vips_blob_new(nullptr, bytes.data(), bytes.size()));
}

inline std::span<const std::uint8_t> blob_bytes(const Blob &blob) {
  return {static_cast<const std::uint8_t *>(VIPS_AREA(blob.get())->data), VIPS_AREA(blob.get())->length};
}

// The image's pixels, computed and copied out (write_to_memory's buffer freed).
inline std::vector<std::uint8_t> image_bytes(const vips::VImage &image) {
  std::size_t size = 0;
  const GMemory<void> memory(image.write_to_memory(&size));
  const auto *bytes = static_cast<const std::uint8_t *>(memory.get());
  return {bytes, bytes + size};
}

}  // namespace vips_edge

// wm=name's overlays, fetched once per container and kept for its life.
// The first request that names a watermark fetches its overlay before its
// source: plan answers a Fetch of the overlay (a path on the request's
// origin, or a file in the package, as the fallback image's), its finish
// checks and keeps the bytes and answers the Fetch of the source. Every
// later request finds the bytes kept and fetches its source only. An
// overlay that cannot be fetched or decoded is a 500 watermark_unavailable
// (the 5xx error TTL) and is not kept: the next request tries again.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "api/config.hpp"
#include "handler/prepare.hpp"

namespace vips_edge {

using OverlayBytes = std::shared_ptr<const std::vector<std::uint8_t>>;

// Locked: plan runs on the thread that owns the module, finish on a transform thread.
class WatermarkStore {
 public:
  // The overlay kept for watermark `name`, or null.
  OverlayBytes find(const std::string &name) const;
  // Checks `bytes` (image/watermark.hpp check_overlay: ApiError
  // watermark_unavailable) and keeps a copy under `name`.
  OverlayBytes keep(const std::string &name, std::span<const std::uint8_t> bytes, const Config &config);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, OverlayBytes> overlays_;
};

// A planned job that names a watermark: its overlay attached when kept, else
// job.overlay_fetch set to where it is fetched from. Throws ApiError.
void plan_watermark(Job &job, const WatermarkStore &store, const Config &config);

}  // namespace vips_edge

#include "handler/watermarks.hpp"

#include "image/watermark.hpp"

namespace vips_edge {

OverlayBytes WatermarkStore::find(const std::string &name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = overlays_.find(name);
  return it == overlays_.end() ? nullptr : it->second;
}

OverlayBytes WatermarkStore::keep(const std::string &name, std::span<const std::uint8_t> bytes, const Config &config) {
  check_overlay(bytes, config);
  auto kept = std::make_shared<const std::vector<std::uint8_t>>(bytes.begin(), bytes.end());
  std::lock_guard<std::mutex> lock(mutex_);
  return overlays_.insert_or_assign(name, std::move(kept)).first->second;
}

void plan_watermark(Job &job, const WatermarkStore &store, const Config &config) {
  if (!job.spec.watermark) return;
  WatermarkSpec &wm = *job.spec.watermark;
  if ((wm.overlay = store.find(wm.name))) return;
  const WatermarkConfig &configured = config.watermarks.at(wm.name);  // parse_spec checked the name
  job.overlay_fetch = configured_image_target(job.request, configured.path, configured.file, config);
}

}  // namespace vips_edge

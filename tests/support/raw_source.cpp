#include "support/raw_source.hpp"

namespace vips_edge {

PreparedImage prepare_image(std::span<const std::uint8_t> bytes, const TransformSpec &spec, const Config &config) {
  return prepare_image(check_source(bytes, config), spec, config);
}

RenderStep render(std::span<const std::uint8_t> bytes, const TransformSpec &spec, const ResponseMeta &meta,
                  const Config &config) {
  return render(check_source(bytes, config), spec, meta, config);
}

}  // namespace vips_edge

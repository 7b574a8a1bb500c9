// When an animated source stays animated, and the limits that guard it.
#pragma once

#include <optional>

#include <vips/vips8>

#include "api/config.hpp"
#include "api/transform_spec.hpp"
#include "image/formats.hpp"

namespace vips_edge {

struct Animation {
  int frames = 1;        // in the source, all kept
  int page_height = 0;   // one frame's height in the source
};

// Whether the output for an animated source is animated: only WebP output
// animates (we write no GIF: libvips' GIF saver needs a quantiser, and the one
// Debian carries, libimagequant, is GPL-3), so the request must end in WebP:
// format=webp, format=auto for a viewer that accepts WebP, or no format
// (an animated GIF's "source family" is animated WebP, as a still GIF's is
// PNG) and format=json, which describes what no format would give.
// anim=0 and JPEG/PNG output take the first frame.
bool keeps_animation(const TransformSpec &spec);

// From the header of a GIF or WebP (opened for its first frame, which still
// reports n-pages): the animation to keep, or nullopt for a still image or an
// output that keeps the first frame only. Throws ApiError 413
// (source_too_large) over maxFrames frames or maxFramePixels pixels in all
// frames, before a single frame is decoded.
std::optional<Animation> animation_to_keep(const vips::VImage &header, ImageFormat source_format,
                                           const TransformSpec &spec, const Config &config);

// One frame's height: page-height for an animation, else the height.
int frame_height(const vips::VImage &image);

// Frames in `image` (1 for a still image).
int frame_count(const vips::VImage &image);

}  // namespace vips_edge

// preset=name: named parameter sets from the config ("presets": {"thumb":
// "w=200&h=200&fit=cover"}), and presetsOnly, under which a transform must
// name one and may add nothing but exp and sig. Kept apart from config.cpp's
// key loop: this file owns both the load-time check and the request-time
// expansion, so they cannot disagree about what a preset may say.
#pragma once

#include "api/config.hpp"
#include "api/params.hpp"

namespace vips_edge {

// Load time (parse_config calls it once every key is read): each preset is a
// query of URL API parameters that parse_spec accepts under `config`, and
// names no preset, exp or sig; presetsOnly needs at least one preset. Throws
// std::invalid_argument "config: presets.thumb: ..." otherwise.
void check_presets(const Config &config);

// Request time, before parse_spec: `given` with its preset's parameters added
// where `given` has none of its own (explicit parameters win). Throws ApiError
// 400 invalid_parameter for an unknown preset, 403 presets_only when
// config.presets_only and the request names no preset or adds any parameter
// but exp and sig. `given` itself is what the signature covers (the URL as
// written); the result is what parse_spec reads.
UrlParams apply_preset(const UrlParams &given, const Config &config);

}  // namespace vips_edge

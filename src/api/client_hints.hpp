// Client hints for w=auto, dpr=auto and q=auto (README "Client hints").
//
// The viewer-request CloudFront Function (deploy/viewer-request.js) reads the
// viewer's hints before the cache and writes ONE normalised header, only when
// the canonical query asks for a hint, with only the keys asked, in this order:
//   x-vips-edge-hints: dpr=2,w=640,sd=1
//     dpr  dpr=auto: Sec-CH-DPR (else DPR) rounded UP to clientHints.dprs
//          (capped at the top rung); no usable hint: 1
//     w    w=auto, device pixels: Sec-CH-Width (else Width), else
//          Sec-CH-Viewport-Width x the DPR hint, rounded UP to clientHints.widths
//          (capped at the top rung, itself <= maxWidth); no usable hint: none
//     sd   q=auto: 1 when Save-Data is "on", else 0
// That header is part of the cache key, so the key splits only by rung. The
// URL keeps "auto" (signatures cover the URL as the page wrote it). A hint
// that is malformed or repeated counts as absent (hints are advisory, and a
// garbage value must not make a cache key of its own). hints_header() is the
// same rule in C++ (tests/cases/hints.json holds the cases both answer
// alike), used when the header is absent (no Function in front).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/config.hpp"
#include "api/params.hpp"
#include "api/transform_spec.hpp"
#include "events/cloudfront.hpp"

namespace vips_edge {

inline constexpr std::string_view kHintsHeader = "x-vips-edge-hints";

// The hints a request depends on: a bit per parameter given as "auto".
enum HintBits : unsigned { kHintDpr = 1, kHintWidth = 2, kHintSaveData = 4 };

// Which parameters say "auto" (a row whose table entry allows it); 0: none.
unsigned asked_hints(const UrlParams &params);

// The normalised header value for `asked` from the viewer's raw hints.
std::string hints_header(unsigned asked, const cf::Headers &headers, const ClientHintsConfig &ladder);

struct Hints {
  double dpr = 1;
  std::optional<int> width;  // device pixels, a rung of the ladder
  bool save_data = false;
};

// x-vips-edge-hints when present (read strictly: exactly the asked keys in
// order, values on the ladder; anything else is a 400 invalid_hints), else
// hints_header() of the raw headers.
Hints request_hints(unsigned asked, const cf::Headers &headers, const Config &config);

// The default quality `q` lowered by the Save-Data step, never below the
// config's qualityFloor (nor raised to it).
int save_data_quality(int q, const Config &config);

// The response headers a request that used `auto` needs (empty for 0):
// Vary names exactly the request headers the answer depended on, Accept-CH
// the client hints a browser must be asked for.
std::string hints_vary(unsigned asked);
std::string hints_accept_ch(unsigned asked);

// The parameters with each "auto" replaced by what it resolved to, for the
// canonical query of the log and the derived ETag: w=auto -> w=640 (or
// dropped: no hint), dpr=auto -> dpr=2, q=auto -> dropped (the default) or
// q=auto-20 (Save-Data: the default minus the step).
UrlParams resolve_auto(UrlParams params, const TransformSpec &spec, const Config &config);

}  // namespace vips_edge

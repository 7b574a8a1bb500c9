// The two entry points the Node trigger calls (natively and in wasm alike).
// Everything crosses as JSON text except the source image bytes.
//
// plan(event)  -> one of
//   {"action":"passthrough","request":{...}}            no transform asked
//   {"action":"respond","response":{...},"log":{...}}   e.g. a 400/403
//   {"action":"fetch","origin":{...},"log":{...}}       fetch, then finish()
//     origin: {"kind":"http","url","headers",...} | {"kind":"s3","bucket","key","region","endpoint"?}
//             + "timeoutMs", "maxBytes"
//
// finish(event, fetch outcome, source bytes) -> passthrough or respond, where
// the fetch outcome is {"status":200,"headers":{"content-type":"..."}} or
// {"error":"timeout"|"unreachable"|"too_large","message":"..."}.
//
// "log" carries the fields of the trigger's one structured log line.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "api/config.hpp"

namespace vips_edge {

class Handler {
 public:
  explicit Handler(Config config) : config_(std::move(config)) {}

  std::string plan(std::string_view event_json) const;
  std::string finish(std::string_view event_json, std::string_view outcome_json,
                     std::span<const std::uint8_t> source) const;

  const Config &config() const { return config_; }

 private:
  Config config_;
};

}  // namespace vips_edge

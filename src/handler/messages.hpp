// The messages between the Node trigger (node/src/engine.ts, handler.ts) and
// the module, as types. Their JSON and TypeScript forms come from one table
// per type in message_tables.hpp (see util/json_schema.hpp); the trigger compiles
// against the generated node/src/engine-messages.ts.
//
//   plan(event)                       -> PlanReply
//   finish(job, FetchOutcome, bytes)  -> FinishReply
//   resume(job, CodecOutcome, bytes)  -> FinishReply   (after an Encode/Decode reply)
//   init(config) failing              -> Failed
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "codec/failure.hpp"
#include "events/cloudfront.hpp"
#include "handler/origin_target.hpp"

namespace vips_edge::msg {

// The fields of the trigger's one JSON log line that the module knows (the
// trigger adds request id and timings).
struct Log {
  std::optional<std::string> uri;
  std::optional<std::string> spec;     // the canonical query without sig (api/canonical.hpp)
  // passthrough | fetch | watermark (fetching wm's overlay first) |
  // fallback (fetching the fallback image) | error |
  // transformed | not_modified | svg_passthrough | oversize_original
  std::optional<std::string> outcome;
  std::optional<int> status;
  std::optional<std::string> code;
  std::optional<std::string> message;
  std::optional<std::uint64_t> bytes_in;
  std::optional<std::uint64_t> bytes_out;
  std::optional<int> width;
  std::optional<int> height;
  std::optional<std::string> format;
  std::optional<int> quality;
  std::optional<int> encodes;
  std::optional<std::string> fallback;  // the error a fallback image stands in for ("404 not_found")
};

// No transform (or the oversize policy "original"): the request goes on unchanged.
struct Passthrough {
  cf::Request request;
  Log log;
};

// A generated response: the image, or an error from the URL API's table.
// An image's bytes leave the module as bytes, not inside this JSON: the
// response comes without its body and `body_bytes` says how many bytes the
// trigger is handed beside it (src/wasm/exports.cpp), which it base64s once,
// natively, into response.body (node/src/engine.ts).
struct Respond {
  cf::Response response;
  Log log;
  std::optional<std::uint64_t> body_bytes;  // set when `body` holds the image
  std::vector<std::uint8_t> body;           // not in the JSON: handed over as bytes
};

// Fetch `origin`, then call finish with `job`: the module keeps what plan
// decided (request, spec, origin) under that handle, so finish neither
// re-parses the event nor re-checks the signature, and the trigger cannot
// hand it anything but the fetch outcome and the bytes. 0 from the text API
// (Handler::plan), which keeps nothing.
struct Fetch {
  std::uint32_t job = 0;
  OriginTarget origin;
  Log log;
};

// finish may answer Fetch too: the fallback image (handler/fallback.hpp),
// fetched like the source and finished under the new job.

// AVIF output: encode the pixels at `pixels` (an address in the module's
// memory, width * height * channels bytes, interleaved 8-bit sRGB) with the
// codec module, then call resume with `job` and the AVIF file. The pixels
// stay put until then (or until the job is dropped).
struct Encode {
  std::uint32_t job = 0;
  std::uint64_t pixels = 0;
  int width = 0;
  int height = 0;
  int channels = 3;
  int quality = 0;
  int speed = 8;
  Log log;
};

// An AVIF/HEIF or TIFF source: decode the fetched bytes with the codec module
// (refusing more than max_pixels from the header), then call resume with
// `job`, the size, and the pixels followed by the ICC profile.
struct Decode {
  std::uint32_t job = 0;
  std::uint64_t max_pixels = 0;
  Log log;
};

// An exception caught at the C ABI (the handler itself answers every error
// with a Respond); the trigger answers 500.
struct Failed {
  std::string error;
};

using PlanReply = std::variant<Passthrough, Respond, Fetch, Failed>;
using FinishReply = std::variant<Passthrough, Respond, Encode, Decode, Fetch, Failed>;

// What the trigger tells finish about the download: the origin answered
// (any status; the body is the bytes), or it could not be fetched.
struct OriginAnswered {
  int status = 0;
  std::optional<std::map<std::string, std::string>> headers;  // lower-case name -> value
  std::optional<std::uint64_t> memory_limit_mb;  // the function's memory (Lambda context), for the work budget
};
enum class FetchError { Timeout, Unreachable, TooLarge };
struct FetchFailed {
  FetchError error = FetchError::Unreachable;
  std::optional<std::string> message;
};
using FetchOutcome = std::variant<OriginAnswered, FetchFailed>;

// What the trigger tells resume about the codec call: the bytes it passes
// are the AVIF file (Encode), or the pixels then `iccBytes` of ICC profile
// (Decode: width, height and channels given). Or the call failed: the codec
// said why, or the codec module could not run at all (unavailable).
struct CodecDone {
  std::uint64_t bytes = 0;
  std::optional<int> width;
  std::optional<int> height;
  std::optional<int> channels;
  std::optional<std::uint64_t> icc_bytes;
};
using CodecError = codec::Failure;  // one enum with the codec module's (codec/failure.hpp)
struct CodecFailed {
  CodecError error = CodecError::Internal;
  std::optional<std::string> message;
};
using CodecOutcome = std::variant<CodecDone, CodecFailed>;

std::string to_text(const PlanReply &reply);
std::string to_text(const FinishReply &reply);
std::string to_text(const Failed &failed);

// Strict: throws FieldError naming the path ("status: expected integer, got
// string", "$: exactly one of status or error is required").
FetchOutcome read_fetch_outcome(std::string_view text);
CodecOutcome read_codec_outcome(std::string_view text);

}  // namespace vips_edge::msg

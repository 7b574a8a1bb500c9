// The one definition of every message between the trigger and the module:
// JSON names, optional fields, discriminants (util/json_schema.hpp says what a
// table can say). Reading and writing (messages.cpp) and the TypeScript
// declarations (src/wasm/debug/message_types.cpp) all come from these tables.
#pragma once

#include "events/cloudfront_schema.hpp"
#include "handler/messages.hpp"
#include "util/json_schema.hpp"

namespace vips_edge::schema {

using namespace msg;  // the tables below name the message types

template <> struct Describe<Log> {
  static constexpr const char *name = "EngineLog";
  static constexpr auto fields = std::tuple{
      field("uri", &Log::uri),           field("spec", &Log::spec),         field("outcome", &Log::outcome),
      field("status", &Log::status),     field("code", &Log::code),         field("message", &Log::message),
      field("bytesIn", &Log::bytes_in),  field("bytesOut", &Log::bytes_out), field("width", &Log::width),
      field("height", &Log::height),     field("format", &Log::format),     field("quality", &Log::quality),
      field("encodes", &Log::encodes),   field("fallback", &Log::fallback)};
};

template <> struct Describe<HttpTarget> {
  static constexpr const char *name = "HttpOrigin", *tag_key = "kind", *tag = "http";
  static constexpr auto fields = std::tuple{field("url", &HttpTarget::url), field("headers", &HttpTarget::headers),
      field("timeoutMs", &HttpTarget::timeout_ms), field("maxBytes", &HttpTarget::max_bytes)};
};
template <> struct Describe<S3Target> {
  static constexpr const char *name = "S3Origin", *tag_key = "kind", *tag = "s3";
  static constexpr auto fields = std::tuple{field("bucket", &S3Target::bucket), field("key", &S3Target::key),
      field("region", &S3Target::region), field("endpoint", &S3Target::endpoint),
      field("timeoutMs", &S3Target::timeout_ms), field("maxBytes", &S3Target::max_bytes)};
};
template <> struct Describe<FileTarget> {
  static constexpr const char *name = "FileOrigin", *tag_key = "kind", *tag = "file";
  static constexpr auto fields = std::tuple{field("file", &FileTarget::file), field("maxBytes", &FileTarget::max_bytes)};
};
template <> struct Describe<OriginTarget> { static constexpr const char *name = "OriginPlan"; };

template <> struct Describe<Passthrough> {
  static constexpr const char *name = "PassthroughReply", *tag_key = "action", *tag = "passthrough";
  static constexpr auto fields = std::tuple{field("request", &Passthrough::request), field("log", &Passthrough::log)};
};
template <> struct Describe<Respond> {
  static constexpr const char *name = "RespondReply", *tag_key = "action", *tag = "respond";
  static constexpr auto fields = std::tuple{field("response", &Respond::response), field("log", &Respond::log),
                                            field("bodyBytes", &Respond::body_bytes)};
};
template <> struct Describe<Fetch> {
  static constexpr const char *name = "FetchReply", *tag_key = "action", *tag = "fetch";
  static constexpr auto fields =
      std::tuple{field("job", &Fetch::job), field("origin", &Fetch::origin), field("log", &Fetch::log)};
};
template <> struct Describe<Encode> {
  static constexpr const char *name = "EncodeReply", *tag_key = "action", *tag = "encode";
  static constexpr auto fields = std::tuple{field("job", &Encode::job), field("pixels", &Encode::pixels),
      field("width", &Encode::width), field("height", &Encode::height), field("channels", &Encode::channels),
      field("quality", &Encode::quality), field("speed", &Encode::speed), field("log", &Encode::log)};
};
template <> struct Describe<Decode> {
  static constexpr const char *name = "DecodeReply", *tag_key = "action", *tag = "decode";
  static constexpr auto fields = std::tuple{field("job", &Decode::job), field("maxPixels", &Decode::max_pixels),
      field("log", &Decode::log)};
};
template <> struct Describe<Failed> {
  static constexpr const char *name = "FailedReply", *tag_key = "action", *tag = "failed";
  static constexpr auto fields = std::tuple{field("error", &Failed::error)};
};
template <> struct Describe<PlanReply> { static constexpr const char *name = "PlanReply"; };
template <> struct Describe<FinishReply> { static constexpr const char *name = "FinishReply"; };

template <> struct Describe<OriginAnswered> {
  static constexpr const char *name = "OriginAnswered";
  static constexpr auto fields =
      std::tuple{field("status", &OriginAnswered::status), field("headers", &OriginAnswered::headers),
                 field("memoryLimitMb", &OriginAnswered::memory_limit_mb)};
};
template <> struct Describe<FetchError> {
  static constexpr const char *name = "FetchError";
  static constexpr std::array values = {value("timeout", FetchError::Timeout),
                                        value("unreachable", FetchError::Unreachable),
                                        value("too_large", FetchError::TooLarge)};
};
template <> struct Describe<FetchFailed> {
  static constexpr const char *name = "FetchFailed";
  static constexpr auto fields =
      std::tuple{field("error", &FetchFailed::error), field("message", &FetchFailed::message)};
};
template <> struct Describe<FetchOutcome> { static constexpr const char *name = "FetchOutcome"; };

template <> struct Describe<CodecDone> {
  static constexpr const char *name = "CodecDone";
  static constexpr auto fields = std::tuple{
      field("bytes", &CodecDone::bytes),       field("width", &CodecDone::width), field("height", &CodecDone::height),
      field("channels", &CodecDone::channels), field("iccBytes", &CodecDone::icc_bytes)};
};
template <> struct Describe<CodecError> {
  static constexpr const char *name = "CodecError";
  static constexpr const auto &values = codec::kFailureNames;  // the codec module's names
};
template <> struct Describe<CodecFailed> {
  static constexpr const char *name = "CodecFailed";
  static constexpr auto fields =
      std::tuple{field("error", &CodecFailed::error), field("message", &CodecFailed::message)};
};
template <> struct Describe<CodecOutcome> { static constexpr const char *name = "CodecOutcome"; };

}  // namespace vips_edge::schema

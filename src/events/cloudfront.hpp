// Typed CloudFront Lambda@Edge origin-request events and generated responses,
// (de)serialised with nlohmann/json (to_json/from_json beside each type).
//
// Parsing is strict: a missing required field or a wrong type throws
// EventError whose message names the JSON path, e.g.
// "Records[0].cf.request.uri: missing".
//
// Unknown fields are PRESERVED: every object type keeps the keys it does not
// know in `extra` and writes them back. CloudFront adds fields over time and
// a request we return unchanged (passthrough) must reach the origin exactly
// as it came; dropping a field there would silently change behaviour.
// Known fields always win over a same-named key in `extra`.
//
// Optional fields are std::optional and omitted on output, never null.
// These types live in vips_edge::cf because vips_edge::Config is the
// function's own settings (api/config.hpp).
#pragma once

#include <map>
#include <variant>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/strict_fields.hpp"

namespace vips_edge::cf {

using json = nlohmann::json;

// A parse failure at `path` ("Records[0].cf.request.uri") for `reason`
// ("missing", "expected string", ...). what() is "path: reason".
using EventError = FieldError;

struct Config {
  std::string distributionDomainName;
  std::string distributionId;
  std::string eventType;
  std::string requestId;
  json extra = json::object();
};

// One header line; `key` is the original-case name and may be absent.
struct HeaderValue {
  std::optional<std::string> key;
  std::string value;
  json extra = json::object();
  bool operator==(const HeaderValue &) const = default;
};

// lower-case header name -> values in order. Parsing rejects a name that is
// not lower-case, as CloudFront rejects such a map when it comes back.
struct Headers {
  std::map<std::string, std::vector<HeaderValue>> entries;

  // First value of `lower_name`, or nullptr.
  const std::string *first(std::string_view lower_name) const;
  // All values of `lower_name` joined with ", " (RFC 9110 list semantics), or nullopt.
  std::optional<std::string> joined(std::string_view lower_name) const;
  bool operator==(const Headers &) const = default;
};

struct RequestBody {
  bool inputTruncated = false;
  std::string action;    // "read-only" | "replace"
  std::string encoding;  // "base64" | "text"
  std::string data;
  json extra = json::object();
};

struct CustomOrigin {
  Headers customHeaders;
  std::string domainName;
  int keepaliveTimeout = 5;
  std::string path;
  int port = 443;
  std::string protocol;  // "http" | "https"
  int readTimeout = 30;
  std::vector<std::string> sslProtocols;
  json extra = json::object();
};

struct S3Origin {
  std::string authMethod;  // "origin-access-identity" | "none"
  Headers customHeaders;
  std::string domainName;
  std::string path;
  std::string region;
  json extra = json::object();
};

// Exactly one of custom / s3: the type cannot hold zero or both, and parsing
// an event with zero or both is an EventError.
struct Origin {
  std::variant<CustomOrigin, S3Origin> kind;
  json extra = json::object();

  const CustomOrigin *custom() const { return std::get_if<CustomOrigin>(&kind); }
  const S3Origin *s3() const { return std::get_if<S3Origin>(&kind); }
};

struct Request {
  std::string clientIp;
  std::string method;
  std::string uri;
  std::string querystring;  // no leading '?', "" when absent
  Headers headers;
  std::optional<RequestBody> body;
  std::optional<Origin> origin;
  json extra = json::object();
};

// The event: Records[0].cf.{config, request}. CloudFront sends exactly one
// record; more or fewer is an EventError. Unknown keys at the top level, in
// Records[0] and in cf are preserved like everywhere else.
struct Event {
  Config config;
  Request request;
  json extra = json::object();         // top level, besides "Records"
  json record_extra = json::object();  // Records[0], besides "cf"
  json cf_extra = json::object();      // Records[0].cf, besides config/request
};

enum class BodyEncoding { Text, Base64 };

// A generated response. `status` must be 3 digits in 200..599 (checked when
// parsing and when serialising).
struct Response {
  std::string status;
  std::optional<std::string> statusDescription;
  std::optional<Headers> headers;
  std::optional<std::string> body;
  std::optional<BodyEncoding> bodyEncoding;
  json extra = json::object();
};

// nlohmann's conversions, for the types callers convert directly. Every type
// above has a table (events/cloudfront_schema.hpp: schema::read / write);
// Headers, Origin and Event are written out by hand (cloudfront.cpp says why).
void to_json(json &j, const Headers &v);
void from_json(const json &j, Headers &v);
void to_json(json &j, const Origin &v);
void from_json(const json &j, Origin &v);
void to_json(json &j, const Event &v);
void from_json(const json &j, Event &v);
void to_json(json &j, const Response &v);
void from_json(const json &j, Response &v);

// The text entry point: throws EventError (also for malformed JSON, with
// path "$").
Event parse_event(std::string_view text);

// True for "200".."599" exactly (three ASCII digits).
bool is_valid_status(std::string_view status);

}  // namespace vips_edge::cf

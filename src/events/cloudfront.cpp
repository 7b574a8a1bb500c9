// Strict, lossless JSON mapping of CloudFront Lambda@Edge events (see the
// header for the rules). Errors name the JSON path so a bad fixture or an
// unexpected CloudFront change is diagnosed from one log line.
#include "events/cloudfront.hpp"

#include <utility>

namespace vips_edge::cf {

namespace {

using strict::expected;
using strict::fail;
using strict::Fields;
using strict::nested;

// Output starts from the preserved unknown keys; known fields overwrite.
json start(const json &extra) { return extra.is_object() ? extra : json::object(); }

bool is_lower_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (c >= 'A' && c <= 'Z') return false;
  return true;
}

}  // namespace

// ---------------------------------------------------------------- Config ---
void to_json(json &j, const Config &v) {
  j = start(v.extra);
  j["distributionDomainName"] = v.distributionDomainName;
  j["distributionId"] = v.distributionId;
  j["eventType"] = v.eventType;
  j["requestId"] = v.requestId;
}
void from_json(const json &j, Config &v) {
  Fields f(j);
  v.distributionDomainName = f.string("distributionDomainName");
  v.distributionId = f.string("distributionId");
  v.eventType = f.string("eventType");
  v.requestId = f.string("requestId");
  v.extra = f.rest();
}

// --------------------------------------------------------------- Headers ---
void to_json(json &j, const HeaderValue &v) {
  j = start(v.extra);
  if (v.key) j["key"] = *v.key;
  j["value"] = v.value;
}
void from_json(const json &j, HeaderValue &v) {
  Fields f(j);
  v.key = f.opt_string("key");
  v.value = f.string("value");
  v.extra = f.rest();
}

void to_json(json &j, const Headers &v) {
  j = json::object();
  for (const auto &[name, values] : v.entries) j[name] = values;
}
void from_json(const json &j, Headers &v) {
  if (!j.is_object()) fail("", expected("object", j));
  v.entries.clear();
  for (const auto &item : j.items()) {
    // Named references, not a structured binding: lambdas below capture
    // them, which clang 14 (emscripten 3.1) does not allow for bindings.
    const std::string &name = item.key();
    const json &values = item.value();
    if (!is_lower_name(name)) fail(name, "header name must be non-empty lower-case");
    if (!values.is_array()) fail(name, expected("array", values));
    std::vector<HeaderValue> list;
    for (std::size_t i = 0; i < values.size(); ++i)
      list.push_back(nested(name + "[" + std::to_string(i) + "]",
                            [&] { return values[i].get<HeaderValue>(); }));
    v.entries.emplace(name, std::move(list));
  }
}

const std::string *Headers::first(std::string_view lower_name) const {
  auto it = entries.find(std::string(lower_name));
  if (it == entries.end() || it->second.empty()) return nullptr;
  return &it->second.front().value;
}

std::optional<std::string> Headers::joined(std::string_view lower_name) const {
  auto it = entries.find(std::string(lower_name));
  if (it == entries.end() || it->second.empty()) return std::nullopt;
  std::string out;
  for (const auto &hv : it->second) {
    if (!out.empty()) out += ", ";
    out += hv.value;
  }
  return out;
}

// ------------------------------------------------------------------ Body ---
void to_json(json &j, const RequestBody &v) {
  j = start(v.extra);
  j["inputTruncated"] = v.inputTruncated;
  j["action"] = v.action;
  j["encoding"] = v.encoding;
  j["data"] = v.data;
}
void from_json(const json &j, RequestBody &v) {
  Fields f(j);
  v.inputTruncated = f.boolean("inputTruncated");
  v.action = f.string("action");
  v.encoding = f.string("encoding");
  v.data = f.string("data");
  v.extra = f.rest();
}

// --------------------------------------------------------------- Origins ---
void to_json(json &j, const CustomOrigin &v) {
  j = start(v.extra);
  j["customHeaders"] = v.customHeaders;
  j["domainName"] = v.domainName;
  j["keepaliveTimeout"] = v.keepaliveTimeout;
  j["path"] = v.path;
  j["port"] = v.port;
  j["protocol"] = v.protocol;
  j["readTimeout"] = v.readTimeout;
  j["sslProtocols"] = v.sslProtocols;
}
void from_json(const json &j, CustomOrigin &v) {
  Fields f(j);
  v.customHeaders = f.object<Headers>("customHeaders");
  v.domainName = f.string("domainName");
  v.keepaliveTimeout = f.integer("keepaliveTimeout");
  v.path = f.string("path");
  v.port = f.integer("port");
  v.protocol = f.string("protocol");
  v.readTimeout = f.integer("readTimeout");
  v.sslProtocols = f.strings("sslProtocols");
  v.extra = f.rest();
}

void to_json(json &j, const S3Origin &v) {
  j = start(v.extra);
  j["authMethod"] = v.authMethod;
  j["customHeaders"] = v.customHeaders;
  j["domainName"] = v.domainName;
  j["path"] = v.path;
  j["region"] = v.region;
}
void from_json(const json &j, S3Origin &v) {
  Fields f(j);
  v.authMethod = f.string("authMethod");
  v.customHeaders = f.object<Headers>("customHeaders");
  v.domainName = f.string("domainName");
  v.path = f.string("path");
  v.region = f.string("region");
  v.extra = f.rest();
}

void to_json(json &j, const Origin &v) {
  j = start(v.extra);
  if (const CustomOrigin *c = v.custom()) j["custom"] = *c;
  if (const S3Origin *s = v.s3()) j["s3"] = *s;
}
void from_json(const json &j, Origin &v) {
  Fields f(j);
  auto custom = f.opt_object<CustomOrigin>("custom");
  auto s3 = f.opt_object<S3Origin>("s3");
  if (custom.has_value() == s3.has_value())
    fail("", custom ? "both custom and s3 given; exactly one is allowed"
                    : "exactly one of custom or s3 is required");
  if (custom) v.kind = std::move(*custom);
  else v.kind = std::move(*s3);
  v.extra = f.rest();
}

// --------------------------------------------------------------- Request ---
void to_json(json &j, const Request &v) {
  j = start(v.extra);
  j["clientIp"] = v.clientIp;
  j["method"] = v.method;
  j["uri"] = v.uri;
  j["querystring"] = v.querystring;
  j["headers"] = v.headers;
  if (v.body) j["body"] = *v.body;
  if (v.origin) j["origin"] = *v.origin;
}
void from_json(const json &j, Request &v) {
  Fields f(j);
  v.clientIp = f.string("clientIp");
  v.method = f.string("method");
  v.uri = f.string("uri");
  v.querystring = f.string("querystring");
  v.headers = f.object<Headers>("headers");
  v.body = f.opt_object<RequestBody>("body");
  v.origin = f.opt_object<Origin>("origin");
  v.extra = f.rest();
}

// ----------------------------------------------------------------- Event ---
void to_json(json &j, const Event &v) {
  json cf = start(v.cf_extra);
  cf["config"] = v.config;
  cf["request"] = v.request;
  json record = start(v.record_extra);
  record["cf"] = std::move(cf);
  j = start(v.extra);
  j["Records"] = json::array({std::move(record)});
}
void from_json(const json &j, Event &v) {
  Fields top(j);
  const json &records = top.required("Records");
  if (!records.is_array()) fail("Records", expected("array", records));
  if (records.size() != 1)
    fail("Records", "expected exactly one record, got " + std::to_string(records.size()));
  nested("Records[0]", [&] {
    Fields record(records[0]);
    const json &cf = record.required("cf");
    nested("cf", [&] {
      Fields fields(cf);
      v.config = fields.object<Config>("config");
      v.request = fields.object<Request>("request");
      v.cf_extra = fields.rest();
    });
    v.record_extra = record.rest();
  });
  v.extra = top.rest();
}

// -------------------------------------------------------------- Response ---
bool is_valid_status(std::string_view s) {
  if (s.size() != 3) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return s >= "200" && s <= "599";
}

void to_json(json &j, const BodyEncoding &v) { j = v == BodyEncoding::Base64 ? "base64" : "text"; }
void from_json(const json &j, BodyEncoding &v) {
  if (!j.is_string()) fail("", expected("string", j));
  const auto &s = j.get_ref<const std::string &>();
  if (s == "text") v = BodyEncoding::Text;
  else if (s == "base64") v = BodyEncoding::Base64;
  else fail("", "expected \"text\" or \"base64\", got \"" + s + "\"");
}

void to_json(json &j, const Response &v) {
  if (!is_valid_status(v.status)) fail("status", "expected a status string 200..599, got \"" + v.status + "\"");
  j = start(v.extra);
  j["status"] = v.status;
  if (v.statusDescription) j["statusDescription"] = *v.statusDescription;
  if (v.headers) j["headers"] = *v.headers;
  if (v.body) j["body"] = *v.body;
  if (v.bodyEncoding) j["bodyEncoding"] = *v.bodyEncoding;
}
void from_json(const json &j, Response &v) {
  Fields f(j);
  v.status = f.string("status");
  if (!is_valid_status(v.status)) fail("status", "expected a status string 200..599, got \"" + v.status + "\"");
  v.statusDescription = f.opt_string("statusDescription");
  v.headers = f.opt_object<Headers>("headers");
  v.body = f.opt_string("body");
  v.bodyEncoding = f.opt_object<BodyEncoding>("bodyEncoding");
  v.extra = f.rest();
}

// ------------------------------------------------------------ text entry ---
Event parse_event(std::string_view text) { return strict::parse(text).get<Event>(); }

}  // namespace vips_edge::cf

// The CloudFront event types' JSON tables (util/json_schema.hpp says what a
// table can say): the field names CloudFront uses, unknown fields kept in
// `extra` and written back. Three types keep hand-written readers
// (cloudfront.cpp), each for a shape a field table cannot say: Headers (a map
// whose names must be lower-case), Origin (exactly one of custom/s3, inline
// in its own object) and Event (the single Records[0].cf envelope).
// `ts` names the matching type of @types/aws-lambda, which the generated
// message declarations import (src/wasm/debug/message_types.cpp).
#pragma once

#include "events/cloudfront.hpp"
#include "util/json_schema.hpp"

namespace vips_edge::schema {

template <> struct Describe<cf::Config> {
  static constexpr const char *name = "CloudFrontConfig";
  static constexpr auto extra = &cf::Config::extra;
  static constexpr auto fields = std::tuple{
      field("distributionDomainName", &cf::Config::distributionDomainName),
      field("distributionId", &cf::Config::distributionId), field("eventType", &cf::Config::eventType),
      field("requestId", &cf::Config::requestId)};
};
template <> struct Describe<cf::HeaderValue> {
  static constexpr const char *name = "CloudFrontHeaderValue";
  static constexpr auto extra = &cf::HeaderValue::extra;
  static constexpr auto fields = std::tuple{field("key", &cf::HeaderValue::key), field("value", &cf::HeaderValue::value)};
};
template <> struct Describe<cf::Headers> { static constexpr const char *ts = "CloudFrontHeaders"; };
template <> struct Describe<cf::RequestBody> {
  static constexpr const char *name = "CloudFrontRequestBody";
  static constexpr auto extra = &cf::RequestBody::extra;
  static constexpr auto fields = std::tuple{
      field("inputTruncated", &cf::RequestBody::inputTruncated), field("action", &cf::RequestBody::action),
      field("encoding", &cf::RequestBody::encoding), field("data", &cf::RequestBody::data)};
};
template <> struct Describe<cf::CustomOrigin> {
  static constexpr const char *name = "CloudFrontCustomOrigin";
  static constexpr auto extra = &cf::CustomOrigin::extra;
  static constexpr auto fields = std::tuple{
      field("customHeaders", &cf::CustomOrigin::customHeaders), field("domainName", &cf::CustomOrigin::domainName),
      field("keepaliveTimeout", &cf::CustomOrigin::keepaliveTimeout), field("path", &cf::CustomOrigin::path),
      field("port", &cf::CustomOrigin::port),           field("protocol", &cf::CustomOrigin::protocol),
      field("readTimeout", &cf::CustomOrigin::readTimeout), field("sslProtocols", &cf::CustomOrigin::sslProtocols)};
};
template <> struct Describe<cf::S3Origin> {
  static constexpr const char *name = "CloudFrontS3Origin";
  static constexpr auto extra = &cf::S3Origin::extra;
  static constexpr auto fields = std::tuple{
      field("authMethod", &cf::S3Origin::authMethod), field("customHeaders", &cf::S3Origin::customHeaders),
      field("domainName", &cf::S3Origin::domainName), field("path", &cf::S3Origin::path),
      field("region", &cf::S3Origin::region)};
};
template <> struct Describe<cf::Origin> { static constexpr const char *ts = "CloudFrontOrigin"; };
template <> struct Describe<cf::Request> {
  static constexpr const char *name = "CloudFrontRequest", *ts = "CloudFrontRequest";
  static constexpr auto extra = &cf::Request::extra;
  static constexpr auto fields = std::tuple{
      field("clientIp", &cf::Request::clientIp), field("method", &cf::Request::method), field("uri", &cf::Request::uri),
      field("querystring", &cf::Request::querystring), field("headers", &cf::Request::headers),
      field("body", &cf::Request::body), field("origin", &cf::Request::origin)};
};
template <> struct Describe<cf::BodyEncoding> {
  static constexpr const char *name = "CloudFrontBodyEncoding";
  static constexpr std::array values = {value("text", cf::BodyEncoding::Text), value("base64", cf::BodyEncoding::Base64)};
};
template <> struct Describe<cf::Response> {
  static constexpr const char *name = "CloudFrontResultResponse", *ts = "CloudFrontResultResponse";
  static constexpr auto extra = &cf::Response::extra;
  static constexpr auto fields = std::tuple{
      field("status", &cf::Response::status), field("statusDescription", &cf::Response::statusDescription),
      field("headers", &cf::Response::headers), field("body", &cf::Response::body),
      field("bodyEncoding", &cf::Response::bodyEncoding)};
  // CloudFront rejects any other status (a 502 for the viewer).
  static void check(const cf::Response &v) {
    if (!cf::is_valid_status(v.status))
      strict::fail("status", "expected a status string 200..599, got \"" + v.status + "\"");
  }
};

}  // namespace vips_edge::schema

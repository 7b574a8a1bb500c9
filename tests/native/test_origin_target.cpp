// What the Node side is told to fetch: never outside the origin and its path.
#include <catch2/catch.hpp>

#include "api/api_error.hpp"
#include "handler/origin_target.hpp"

using vips_edge::ApiError;
using vips_edge::Config;
using vips_edge::origin_target;
namespace cf = vips_edge::cf;

namespace {

cf::Request custom_request(const std::string &uri, const std::string &path = "", int port = 443,
                           const std::string &protocol = "https") {
  cf::Request r;
  r.uri = uri;
  cf::CustomOrigin c;
  c.domainName = "images.example.org";
  c.path = path;
  c.port = port;
  c.protocol = protocol;
  c.readTimeout = 7;
  c.customHeaders.entries["x-origin-secret"] = {cf::HeaderValue{"X-Origin-Secret", "s3cr3t", {}}};
  r.origin = cf::Origin{c, {}};
  return r;
}

cf::Request s3_request(const std::string &uri, const std::string &domain = "my-bucket.s3.amazonaws.com",
                       const std::string &path = "") {
  cf::Request r;
  r.uri = uri;
  cf::S3Origin s;
  s.domainName = domain;
  s.path = path;
  s.region = "eu-west-1";
  r.origin = cf::Origin{s, {}};
  return r;
}

int status_of(const cf::Request &request) {
  try {
    origin_target(request, Config{});
  } catch (const ApiError &e) {
    return e.status;
  }
  return 200;
}

}  // namespace

TEST_CASE("custom origin: URL from protocol, domain, port, origin path and URI", "[origin]") {
  auto t = origin_target(custom_request("/photos/cat.jpg", "/base"), Config{});
  REQUIRE(std::holds_alternative<vips_edge::HttpTarget>(t));
  CHECK(std::get<vips_edge::HttpTarget>(t).url == "https://images.example.org/base/photos/cat.jpg");
  CHECK(std::get<vips_edge::HttpTarget>(t).headers.at("x-origin-secret") == "s3cr3t");
  CHECK(std::get<vips_edge::HttpTarget>(t).timeout_ms == 7000);
  CHECK(std::get<vips_edge::HttpTarget>(t).max_bytes == Config{}.max_input_bytes);
  CHECK(std::get<vips_edge::HttpTarget>(origin_target(custom_request("/a.jpg", "/base/", 8080, "http"), Config{})).url ==
        "http://images.example.org:8080/base/a.jpg");
  CHECK(std::get<vips_edge::HttpTarget>(origin_target(custom_request("/a%20b.jpg"), Config{})).url == "https://images.example.org/a%20b.jpg");
}

TEST_CASE("S3 origin: bucket from the domain, decoded key from path + URI", "[origin]") {
  auto t = origin_target(s3_request("/photos/my%20cat+1.jpg", "my-bucket.s3.eu-west-1.amazonaws.com", "/assets"),
                         Config{});
  REQUIRE(std::holds_alternative<vips_edge::S3Target>(t));
  CHECK(std::get<vips_edge::S3Target>(t).bucket == "my-bucket");
  CHECK(std::get<vips_edge::S3Target>(t).key == "assets/photos/my cat+1.jpg");  // '+' is literal in a path
  CHECK(std::get<vips_edge::S3Target>(t).region == "eu-west-1");
  CHECK_FALSE(std::get<vips_edge::S3Target>(t).endpoint);
  Config local;
  local.s3_endpoint = "http://127.0.0.1:4569";
  CHECK(std::get<vips_edge::S3Target>(origin_target(s3_request("/a.jpg"), local)).endpoint == "http://127.0.0.1:4569");
  CHECK(status_of(s3_request("/a.jpg", "not-an-s3-domain.example.org")) == 502);
}

TEST_CASE("URIs that could leave the origin's path are 400", "[origin]") {
  for (const char *uri : {"/../etc/passwd", "/a/../../b.jpg", "/a/%2e%2e/b.jpg", "/a/%2E./b.jpg", "/./a.jpg",
                          "/a/..", "/a%2fb.jpg", "/a%2Fb.jpg", "/a%5cb.jpg", "/a\\b.jpg", "/a%00.jpg",
                          "/a%zz.jpg", "relative.jpg", "", "/a\x01.jpg"}) {
    INFO(uri);
    CHECK(status_of(custom_request(uri)) == 400);
    CHECK(status_of(s3_request(uri)) == 400);
  }
  for (const char *uri : {"/a..b.jpg", "/..a/b.jpg", "/a/b..", "/%E2%80%AEgpj.exe", "/a/b/c.jpg"}) {
    INFO(uri);
    CHECK(status_of(custom_request(uri)) == 200);
  }
}

TEST_CASE("an origin we cannot fetch from is a 502", "[origin]") {
  cf::Request no_origin;
  no_origin.uri = "/a.jpg";
  CHECK(status_of(no_origin) == 502);
  CHECK(status_of(custom_request("/a.jpg", "", 21, "ftp")) == 502);
}

// The trigger <-> module messages (handler/messages.hpp): read strictly like
// the CloudFront events, written from the same tables, and prepare() deciding
// each request once for plan and finish.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "handler/handler.hpp"
#include "handler/messages.hpp"
#include "api/signing.hpp"
#include "http/response.hpp"
#include "image_helpers.hpp"
#include "support/response_body.hpp"
#include "support/text_handler.hpp"
#include "util/base64.hpp"
#include "util/glib_memory.hpp"
#include "wasm/debug/message_types.hpp"

using namespace vips_edge;
using nlohmann::json;

namespace {

std::string outcome_error(const std::string &text) {
  try {
    msg::read_fetch_outcome(text);
  } catch (const FieldError &e) {
    return e.what();
  }
  return "(no error)";
}

json fixture_event(const std::string &name) {
  std::ifstream in(std::string(VIPS_EDGE_FIXTURES) + "/events/" + name);
  return json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
}

}  // namespace

TEST_CASE("fetch outcome: the two shapes", "[messages]") {
  auto answered = msg::read_fetch_outcome(R"({"status":200,"headers":{"content-type":"image/png"}})");
  REQUIRE(std::holds_alternative<msg::OriginAnswered>(answered));
  CHECK(std::get<msg::OriginAnswered>(answered).status == 200);
  CHECK(std::get<msg::OriginAnswered>(answered).headers->at("content-type") == "image/png");

  auto failed = msg::read_fetch_outcome(R"({"error":"too_large","message":"over 32 MiB"})");
  REQUIRE(std::holds_alternative<msg::FetchFailed>(failed));
  CHECK(std::get<msg::FetchFailed>(failed).error == msg::FetchError::TooLarge);
}

TEST_CASE("fetch outcome: read strictly, errors name the path", "[messages]") {
  CHECK(outcome_error(R"({"status":"200"})") == "status: expected integer, got string");
  CHECK(outcome_error(R"({"status":200,"headers":{"etag":1}})") == "headers.etag: expected string, got number");
  CHECK(outcome_error(R"({"status":200,"stauts":1})") == "stauts: unknown field");
  CHECK(outcome_error(R"({"status":200,"error":"timeout"})") ==
        "$: both status and error given; exactly one is allowed");
  CHECK(outcome_error(R"({})") == "$: exactly one of status or error is required");
  CHECK(outcome_error(R"({"error":"late"})") ==
        R"(error: expected one of "timeout", "unreachable", "too_large", got "late")");
  CHECK(outcome_error(R"({"status":99999999999})") == "status: integer out of range");
  CHECK(outcome_error("[1]") == "$: expected object, got array");
  CHECK(outcome_error("{") .starts_with("$: invalid JSON"));
}

TEST_CASE("plan reply: tagged by action, origin tagged by kind, optionals omitted", "[messages]") {
  Handler handler{Config{}};
  json plan = json::parse(vips_edge::test::plan_text(handler, fixture_event("origin-request-custom.json").dump()));
  CHECK(plan["action"] == "fetch");
  CHECK(plan["job"] == 0);  // the text API keeps no job
  CHECK(plan["origin"]["kind"] == "http");
  CHECK(plan["origin"]["maxBytes"] == Config{}.max_input_bytes);
  CHECK(plan["log"] == json{{"uri", "/photos/cat.jpg"}, {"spec", plan["log"]["spec"]}, {"outcome", "fetch"}});

  json s3 = json::parse(vips_edge::test::plan_text(handler, fixture_event("origin-request-s3.json").dump()));
  CHECK(s3["origin"]["kind"] == "s3");
  CHECK_FALSE(s3["origin"].contains("endpoint"));
}

TEST_CASE("prepare: one decision serves plan and finish", "[messages]") {
  Config config;
  config.signing = SigningConfig{{{"default", "secret"}}, true};
  json event = fixture_event("origin-request-custom.json");
  auto &request = event["Records"][0]["cf"]["request"];
  request["uri"] = "/photos/cat.jpg";
  const std::string query = "w=400&format=auto&utm=x";
  request["querystring"] = query + "&sig=" + compute_signature("secret", "/photos/cat.jpg", query);
  Handler handler{config};
  Prepared prepared = handler.prepare(event.dump(), vips_edge::test::kTestNow);
  REQUIRE(std::holds_alternative<Job>(prepared));
  const Job &job = std::get<Job>(prepared);
  CHECK(job.spec.width == 400);
  CHECK(job.request.uri == "/photos/cat.jpg");

  // finish works from the job alone: an origin 404 maps to the error table
  // without the event (and so without the signature) being read again.
  msg::FinishReply reply = handler.finish(job, msg::OriginAnswered{404, {}}, {});
  REQUIRE(std::holds_alternative<msg::Respond>(reply));
  CHECK(std::get<msg::Respond>(reply).response.status == "404");
  CHECK(std::get<msg::Respond>(reply).log.spec == job.log.spec);

  request["querystring"] = "w=400&format=auto&sig=wrong";
  prepared = handler.prepare(event.dump(), vips_edge::test::kTestNow);
  REQUIRE(std::holds_alternative<msg::Respond>(prepared));
  CHECK(std::get<msg::Respond>(prepared).response.status == "403");
}

TEST_CASE("an image leaves as bytes beside its response, base64'd once after the module", "[messages]") {
  Handler handler{Config{}};
  json event = fixture_event("origin-request-custom.json");
  event["Records"][0]["cf"]["request"]["querystring"] = "w=64&format=webp";
  Prepared prepared = handler.prepare(event.dump(), test::kTestNow);
  REQUIRE(std::holds_alternative<Job>(prepared));
  const test::Bytes source = test::read_fixture("photo-baseline.jpg");
  msg::FinishReply reply = handler.finish(std::get<Job>(prepared), msg::OriginAnswered{200, {}}, source);
  REQUIRE(std::holds_alternative<msg::Respond>(reply));
  const msg::Respond &respond = std::get<msg::Respond>(reply);

  // The response comes without its body; the bytes are the WebP itself, and
  // the strong etag is theirs.
  CHECK_FALSE(respond.response.body);
  CHECK(respond.response.bodyEncoding == cf::BodyEncoding::Base64);
  REQUIRE(respond.body_bytes == respond.body.size());
  REQUIRE(respond.body.size() > 12);
  CHECK(std::string(respond.body.begin() + 8, respond.body.begin() + 12) == "WEBP");
  CHECK(test::decode(respond.body).width() == 64);
  GMemory<gchar> sha(g_compute_checksum_for_data(G_CHECKSUM_SHA256, respond.body.data(), respond.body.size()));
  CHECK(*respond.response.headers->first("etag") == '"' + std::string(sha.get()) + '"');
  const json text = json::parse(msg::to_text(reply));
  CHECK(text["bodyBytes"] == respond.body.size());
  CHECK_FALSE(text["response"].contains("body"));

  // What the trigger hands CloudFront (node/src/engine.ts; tests/support for
  // the native tests): the base64 body, sized as the size rule counted it.
  const msg::FinishReply whole = test::with_body(reply);
  const cf::Response &response = std::get<msg::Respond>(whole).response;
  CHECK(response.body == base64_encode(respond.body));
  CHECK(generated_response_size(response) ==
        image_response_size(respond.body.size(), ImageFormat::Webp, std::get<Job>(prepared).spec, {}, Config{}));
  CHECK_FALSE(json::parse(msg::to_text(whole)).contains("bodyBytes"));

  // An error's body is text inside the JSON, as before.
  const msg::FinishReply error = handler.finish(std::get<Job>(prepared), msg::OriginAnswered{404, {}}, {});
  CHECK_FALSE(std::get<msg::Respond>(error).body_bytes);
  CHECK(std::get<msg::Respond>(error).response.body);
}

TEST_CASE("TypeScript declarations come from the same tables", "[messages]") {
  std::string ts = msg::typescript_declarations();
  CHECK(ts.find("export interface FetchReply {\n  action: 'fetch';\n  job: number;\n  origin: OriginPlan;\n") !=
        std::string::npos);
  CHECK(ts.find("export type FetchError = 'timeout' | 'unreachable' | 'too_large';") != std::string::npos);
  CHECK(ts.find("(OriginAnswered & { error?: never; message?: never; })") != std::string::npos);
  CHECK(ts.find("import type { CloudFrontRequest, CloudFrontResultResponse } from 'aws-lambda';") == 0);
}

TEST_CASE("node/src/engine-messages.ts is what the tables generate", "[messages]") {
  std::ifstream in(std::string(VIPS_EDGE_FIXTURES) + "/../node/src/engine-messages.ts");
  REQUIRE(in);
  std::string checked_in((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // After the generator's two header lines (node/scripts/gen-message-types.mjs).
  const std::size_t body = checked_in.find('\n', checked_in.find('\n') + 1) + 1;
  CHECK(checked_in.substr(body) == msg::typescript_declarations());
}

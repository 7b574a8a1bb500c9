// The canonical query (src/api/canonical.cpp) on the cases the CloudFront
// Function answers too (tests/cases/canonical.json), and the property that
// makes it safe: a canonical query means exactly what the original meant.
#include <catch2/catch.hpp>

#include "api/api_error.hpp"
#include "api/canonical.hpp"
#include "api/parse_spec.hpp"
#include "cases.hpp"

using namespace vips_edge;

namespace {

// What parse_spec makes of a query: a spec, nullopt (passthrough), or 400.
struct Outcome {
  bool error = false;
  std::optional<TransformSpec> spec;
  bool operator==(const Outcome &) const = default;
};

Outcome outcome_of(const std::string &query) {
  try {
    return {false, parse_spec(query, {}, Config{})};
  } catch (const ApiError &e) {
    CHECK(e.status == 400);
    return {true, std::nullopt};
  }
}

}  // namespace

TEST_CASE("canonical_query answers every shared case like the CloudFront Function", "[canonical]") {
  const auto table = test::read_cases("canonical.json");
  REQUIRE(table["cases"].size() >= 40);
  for (const auto &c : table["cases"]) {
    const std::string query = c["query"], expected = c["canonical"];
    INFO(c["why"].get<std::string>() << ": " << query << " -> " << expected);
    if (c.contains("error")) {
      // Both the original and what the function forwards are the same 400.
      for (const std::string &q : {query, expected}) {
        try {
          collect_params(q);
          FAIL("no 400 for " << q);
        } catch (const ApiError &e) {
          CHECK(e.status == 400);
        }
      }
      try {
        collect_params(query);
      } catch (const ApiError &e) {
        CHECK(e.param == c["error"].get<std::string>());
      }
      continue;
    }
    CHECK(canonical_query(collect_params(query)) == expected);
    // Idempotent: the function's output, canonicalised again, is unchanged.
    CHECK(canonical_query(collect_params(expected)) == expected);
    // Same meaning: the same spec, the same passthrough, or both a 400.
    CHECK(outcome_of(query) == outcome_of(expected));
  }
}

TEST_CASE("canonical_query without sig is what gets signed", "[canonical]") {
  CHECK(canonical_query(collect_params("sig=x&width=10&dpr=1"), false) == "w=10");
  CHECK(canonical_query(collect_params("sig=x&enlarge=0"), false) == "dpr=1");
  CHECK(canonical_query(collect_params("sig=x"), false).empty());
}

TEST_CASE("encode_query_value escapes like encodeURIComponent, ',' kept", "[canonical]") {
  CHECK(encode_query_value("AZaz09-_.!~*'(),") == "AZaz09-_.!~*'(),");
  CHECK(encode_query_value(" #%&=+/?;:@") == "%20%23%25%26%3D%2B%2F%3F%3B%3A%40");
  CHECK(encode_query_value("\xC3\xA9") == "%C3%A9");
}

// format=auto's Accept rule: the cases deploy/viewer-request.js answers too
// (tests/cases/accept.json), so the CloudFront Function and the C++ agree.
#include <catch2/catch.hpp>

#include "api/accept.hpp"
#include "cases.hpp"

using namespace vips_edge;

TEST_CASE("accepts_webp answers every shared Accept case like the CloudFront Function", "[accept]") {
  const auto table = test::read_cases("accept.json");
  REQUIRE(table["cases"].size() >= 30);
  for (const auto &c : table["cases"]) {
    const std::string accept = c["accept"];
    INFO(c["why"].get<std::string>() << ": " << accept);
    CHECK(accepts_webp(accept) == c["webp"].get<bool>());
    // format=auto's AVIF: both accepted (parse_spec.cpp; the function's "avif" bucket).
    CHECK((accepts_webp(accept) && accepts_avif(accept)) == c["avif"].get<bool>());
  }
}

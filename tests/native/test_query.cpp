// Query splitting, percent-decoding and the parameter table.
#include <catch2/catch.hpp>

#include <chrono>

#include "api/api_error.hpp"
#include "api/params.hpp"
#include "api/query.hpp"

using namespace vips_edge;

namespace {
std::vector<std::pair<std::string, std::string>> split(std::string_view qs) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto p : split_query(qs)) out.emplace_back(p.name, p.value);
  return out;
}
using Pairs = std::vector<std::pair<std::string, std::string>>;

ApiError collect_error(std::string_view qs) {
  try {
    collect_params(qs);
  } catch (const ApiError &e) {
    return e;
  }
  return ApiError(0, "none", "no error");
}
}  // namespace

TEST_CASE("split_query: '&' only, empty segments skipped, no decoding", "[query]") {
  CHECK(split("") == Pairs{});
  CHECK(split("w=400&format=auto") == Pairs{{"w", "400"}, {"format", "auto"}});
  CHECK(split("w=1;h=2") == Pairs{{"w", "1;h=2"}});
  CHECK(split("&&w=1&&") == Pairs{{"w", "1"}});
  CHECK(split("w") == Pairs{{"w", ""}});
  CHECK(split("w=") == Pairs{{"w", ""}});
  CHECK(split("a=b=c") == Pairs{{"a", "b=c"}});
  CHECK(split("a%20b=c%2Bd+e") == Pairs{{"a%20b", "c%2Bd+e"}});
  CHECK(split("=x") == Pairs{{"", "x"}});
}

TEST_CASE("split_query caps length and count", "[query]") {
  std::string at_cap(kMaxQueryLength, 'a');
  CHECK(split_query(at_cap).size() == 1);
  try {
    split_query(at_cap + "a");
    FAIL("no throw");
  } catch (const ApiError &e) {
    CHECK(e.status == 400);
    CHECK(e.code == "invalid_parameter");
    CHECK_FALSE(e.param);
  }
  std::string many;
  for (std::size_t i = 0; i < kMaxQueryParams; ++i) many += "a=1&";
  CHECK(split_query(many).size() == kMaxQueryParams);
  CHECK_THROWS_AS(split_query(many + "b=2"), ApiError);

  // Thousands of (empty or unknown) segments within the length cap stay cheap.
  std::string ampersands(kMaxQueryLength, '&');
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) CHECK(split_query(ampersands).empty());
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(1));
}

TEST_CASE("percent_decode", "[query]") {
  CHECK(percent_decode("abc") == std::optional<std::string>("abc"));
  CHECK(percent_decode("a+b") == std::optional<std::string>("a b"));
  CHECK(percent_decode("a%2Bb") == std::optional<std::string>("a+b"));
  CHECK(percent_decode("%34%30%30") == std::optional<std::string>("400"));
  CHECK(percent_decode("%c3%A9") == std::optional<std::string>("\xc3\xa9"));
  CHECK(percent_decode("") == std::optional<std::string>(""));
  CHECK_FALSE(percent_decode("%"));
  CHECK_FALSE(percent_decode("%4"));
  CHECK_FALSE(percent_decode("ab%"));
  CHECK_FALSE(percent_decode("%zz"));
  CHECK_FALSE(percent_decode("%g0"));
  CHECK_FALSE(percent_decode("%00"));
  CHECK_FALSE(percent_decode(std::string_view("a\0b", 3)));
  CHECK_FALSE(percent_decode("%ff"));       // not UTF-8
  CHECK_FALSE(percent_decode("%c3"));       // truncated sequence
  CHECK_FALSE(percent_decode("%ed%a0%80")); // UTF-16 surrogate
}

TEST_CASE("decode_param_value throws 400 naming the param", "[query]") {
  CHECK(decode_param_value("w", "40%30") == "400");
  try {
    decode_param_value("w", "%zz");
    FAIL("no throw");
  } catch (const ApiError &e) {
    CHECK(e.status == 400);
    CHECK(e.code == "invalid_parameter");
    CHECK(e.param == std::optional<std::string>("w"));
  }
}

TEST_CASE("parameter table: names and aliases", "[query]") {
  CHECK(lookup_param("w") == Param::Width);
  CHECK(lookup_param("width") == Param::Width);
  CHECK(lookup_param("h") == Param::Height);
  CHECK(lookup_param("height") == Param::Height);
  CHECK(lookup_param("dpr") == Param::Dpr);
  CHECK(lookup_param("fit") == Param::Fit);
  CHECK(lookup_param("pos") == Param::Gravity);
  CHECK(lookup_param("gravity") == Param::Gravity);
  CHECK(lookup_param("enlarge") == Param::Enlarge);
  CHECK(lookup_param("format") == Param::Format);
  CHECK(lookup_param("fm") == Param::Format);
  CHECK(lookup_param("q") == Param::Quality);
  CHECK(lookup_param("quality") == Param::Quality);
  CHECK(lookup_param("bg") == Param::Background);
  CHECK(lookup_param("sig") == Param::Sig);
  CHECK_FALSE(lookup_param("W"));
  CHECK_FALSE(lookup_param("utm_source"));
  CHECK(std::string(canonical_name(Param::Width)) == "w");
  CHECK(std::string(canonical_name(Param::Gravity)) == "pos");
  CHECK(std::string(canonical_name(Param::Format)) == "format");
  CHECK(std::string(canonical_name(Param::Quality)) == "q");
}

TEST_CASE("collect_params", "[query]") {
  UrlParams p = collect_params("width=400&utm=%zz&fm=auto&x");
  REQUIRE(p.get(Param::Width));
  CHECK(p.get(Param::Width)->name == "width");
  CHECK(p.get(Param::Width)->value == "400");
  CHECK(p.get(Param::Format)->name == "fm");
  CHECK(p.get(Param::Format)->value == "auto");
  CHECK_FALSE(p.get(Param::Height));
  CHECK(p.is_transform());

  CHECK(collect_params("%77=1%32").get(Param::Width)->value == "12");  // encoded name
  CHECK_FALSE(collect_params("w%zz=1").get(Param::Width));               // undecodable name: unknown
  CHECK_FALSE(collect_params("sig=abc").is_transform());
  CHECK_FALSE(collect_params("").is_transform());
  CHECK_FALSE(collect_params("utm=1&W=3").is_transform());

  ApiError repeated = collect_error("w=1&w=2");
  CHECK(repeated.status == 400);
  CHECK(repeated.code == "invalid_parameter");
  CHECK(repeated.param == std::optional<std::string>("w"));
  CHECK(std::string(repeated.what()) == "w: given more than once");

  ApiError alias = collect_error("w=1&width=2");
  CHECK(alias.param == std::optional<std::string>("width"));
  CHECK(std::string(alias.what()) == "width: given more than once (also given as w)");

  CHECK(collect_error("format=png&fm=png").param == std::optional<std::string>("fm"));
  CHECK(collect_error("q=1&quality=2").param == std::optional<std::string>("quality"));
  CHECK(collect_error("pos=north&gravity=north").param == std::optional<std::string>("gravity"));
  CHECK(collect_error("h=1&height=1").param == std::optional<std::string>("height"));
  CHECK(collect_error("sig=a&sig=b").param == std::optional<std::string>("sig"));

  ApiError empty = collect_error("w=");
  CHECK(empty.param == std::optional<std::string>("w"));
  CHECK(std::string(empty.what()) == "w: empty value");
  CHECK(collect_error("h").param == std::optional<std::string>("h"));
  CHECK(collect_error("w=%00").param == std::optional<std::string>("w"));
  CHECK(collect_error("w=%ff").param == std::optional<std::string>("w"));
  CHECK(collect_error("w=%4").param == std::optional<std::string>("w"));
  // Unknown params are not decoded, so their bad escapes are harmless.
  CHECK_NOTHROW(collect_params("utm=%00&ref=%zz&x=%ff"));
}

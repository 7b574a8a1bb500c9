// The compiled parameter table (src/api/param_table.hpp) against its source,
// src/api/params.json: a table edited without regenerating fails here, and
// every example in the table goes through the real parser.
#include <catch2/catch.hpp>

#include "api/api_error.hpp"
#include "api/params.hpp"
#include "api/parse_spec.hpp"
#include "cases.hpp"

using namespace vips_edge;
using nlohmann::json;

namespace {

std::vector<std::string> strings(std::span<const std::string_view> list) {
  return {list.begin(), list.end()};
}

json params_json() { return json::parse(test::read_repo_file("src/api/params.json"))["params"]; }

}  // namespace

TEST_CASE("param_table.hpp is src/api/params.json (run tools/params/generate.mjs)", "[params]") {
  const json table = params_json();
  REQUIRE(table.size() == kParamCount);
  for (std::size_t i = 0; i < kParamCount; ++i) {
    const json &row = table[i];
    const ParamDef &d = kParams[i];
    INFO("row " << i << " " << row["name"]);
    CHECK(d.name == row["name"].get<std::string>());
    CHECK(strings(d.aliases) == row.value("aliases", std::vector<std::string>{}));
    const std::string kind = row["kind"];
    CHECK(static_cast<int>(d.kind) ==
          static_cast<int>(kind == "int"       ? ValueKind::Int
                           : kind == "decimal" ? ValueKind::Decimal
                           : kind == "enum"    ? ValueKind::Enum
                           : kind == "colour"  ? ValueKind::Colour
                                               : ValueKind::Text));
    CHECK(d.fields == (row.contains("fields") ? static_cast<int>(row["fields"].size()) : 1));
    if (row.contains("min")) CHECK(d.min == row["min"].get<double>());
    if (row.contains("max"))
      CHECK(d.max == (row["max"].is_object() ? row["max"]["default"].get<double>() : row["max"].get<double>()));
    CHECK(strings(d.values) == row.value("values", std::vector<std::string>{}));
    CHECK(d.value_aliases.size() == row.value("valueAliases", json::object()).size());
    for (const ValueAlias &a : d.value_aliases) CHECK(row["valueAliases"][std::string(a.alias)] == a.value);
    CHECK(d.default_value == row.value("default", std::string()));
    CHECK(strings(d.conflicts) == row.value("conflicts", std::vector<std::string>{}));
    if (row.contains("defaultWhen")) {
      CHECK(strings(d.default_when_present) == row["defaultWhen"]["present"].get<std::vector<std::string>>());
      CHECK(d.default_when_value == row["defaultWhen"]["value"].get<std::string>());
    }
  }
}

TEST_CASE("every example of the table parses, every hostile value is a 400 naming it", "[params]") {
  const Config config;
  for (const json &row : params_json()) {
    const std::string context = row.value("context", std::string());
    std::vector<std::string> names{row["name"].get<std::string>()};
    for (const auto &alias : row.value("aliases", std::vector<std::string>{})) names.push_back(alias);
    for (const std::string &name : names) {
      auto query = [&](const std::string &value) { return (context.empty() ? "" : context + "&") + name + "=" + value; };
      for (const auto &valid : row["valid"]) {
        INFO(query(valid));
        CHECK_NOTHROW(parse_spec(query(valid), {}, config));
      }
      for (const auto &invalid : row["invalid"]) {
        INFO(query(invalid));
        try {
          parse_spec(query(invalid), {}, config);
          FAIL("no 400");
        } catch (const ApiError &e) {
          CHECK(e.status == 400);
          CHECK(e.param == name);
        }
      }
    }
  }
}

TEST_CASE("every enum value of the table maps to the C++ spec", "[params]") {
  // A value added to the table but not to TransformSpec's enums would be a
  // 400 "not supported by this build"; each must parse.
  for (std::size_t i = 0; i < kParamCount; ++i) {
    const ParamDef &d = kParams[i];
    for (std::string_view v : d.values) {
      const std::string q = "w=10&h=10&" + std::string(d.name) + "=" + std::string(v);
      INFO(q);
      CHECK_NOTHROW(parse_spec(q, {}, Config{}));
    }
  }
}

TEST_CASE("lookup_param: every spelling, nothing else", "[params]") {
  CHECK(lookup_param("w") == Param::Width);
  CHECK(lookup_param("width") == Param::Width);
  CHECK(lookup_param("rotate") == Param::Rotate);
  CHECK(lookup_param("fm") == Param::Format);
  CHECK_FALSE(lookup_param("W"));
  CHECK_FALSE(lookup_param(""));
  CHECK_FALSE(lookup_param("widthx"));
  CHECK(std::string(canonical_name(Param::Gravity)) == "pos");
  CHECK(std::string(canonical_name(Param::Sig)) == "sig");
}

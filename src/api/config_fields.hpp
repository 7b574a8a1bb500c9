// The typed readers parse_config is made of, shared by its parts
// (config.cpp, config_caching.cpp): each throws std::invalid_argument
// "config: <key>: <why>" naming the key.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace vips_edge::config_fields {

[[noreturn]] void fail(const std::string &key, const std::string &why);
std::int64_t get_int(const nlohmann::json &v, const std::string &key, std::int64_t min, std::int64_t max);
bool get_bool(const nlohmann::json &v, const std::string &key);
// A non-empty string.
std::string get_string(const nlohmann::json &v, const std::string &key);
// A value that ends up in a response header: no CR, LF or other control byte
// (it would split the header, and CloudFront would answer 502).
std::string get_header_value(const nlohmann::json &v, const std::string &key);
// A name chosen on a command line or in a URL (signing key, preset,
// watermark): 1-64 letters, digits, '-', '_' or '.'.
bool is_word(const std::string &name);
// A JSON number in [min, max].
double get_number(const nlohmann::json &v, const std::string &key, double min, double max);
// A JSON object, its keys checked against `known` (a null-terminated list).
const nlohmann::json &get_object(const nlohmann::json &v, const std::string &key, const char *const *known);

}  // namespace vips_edge::config_fields

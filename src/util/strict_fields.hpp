// The strict JSON field reader shared by every boundary we parse: the
// CloudFront events (events/cloudfront.cpp) and the messages between the Node
// trigger and the module (handler/message_tables.hpp). A missing field or a wrong
// type throws FieldError naming the JSON path ("Records[0].cf.request.uri:
// missing"); each reader only knows paths relative to itself and nested()
// prefixes the rest.
#pragma once

#include <climits>
#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace vips_edge {

// A parse failure at `path` ("Records[0].cf.request.uri") for `reason`
// ("missing", "expected string", ...). what() is "path: reason" ("$" for the
// root).
struct FieldError : std::invalid_argument {
  std::string path;
  std::string reason;
  FieldError(std::string path, std::string reason);
};

namespace strict {

using json = nlohmann::json;

[[noreturn]] void fail(std::string path, std::string reason);

std::string join_path(std::string_view parent, std::string_view child);

// The JSON of `text`, or FieldError at the root ("$: invalid JSON: ..."):
// every malformed text, an out-of-range number ("1e999", out_of_range 406)
// included, is the documented error. Found by fuzz/fuzz_event.cpp
// (tests/regressions/event/).
json parse(std::string_view text);

// "expected string, got number".
std::string expected(std::string_view what, const json &got);

// Runs f(); a FieldError thrown inside gets `prefix` in front of its path.
template <class F>
auto nested(std::string_view prefix, F &&f) -> decltype(f()) {
  try {
    return f();
  } catch (const FieldError &e) {
    throw FieldError(join_path(prefix, e.path), e.reason);
  }
}

// Reads one JSON object field by field, remembering which keys were used so
// the rest can be kept (CloudFront's extra fields) or refused (our messages).
class Fields {
 public:
  explicit Fields(const json &j);

  const json *find(const char *name);
  const json &required(const char *name);

  std::string string(const char *name);
  std::optional<std::string> opt_string(const char *name);
  bool boolean(const char *name);
  int integer(const char *name);
  std::vector<std::string> strings(const char *name);

  // Every key not read above.
  json rest() const;
  // Throws FieldError at the first key not read above: a message of our own
  // with a field we do not know is drift between the two sides, not data.
  void refuse_rest(std::string_view reason = "unknown field") const;

 private:
  const json &j_;
  std::set<std::string, std::less<>> used_;
};

// A string JSON value at `path`, or FieldError.
std::string as_string(const std::string &path, const json &v);

}  // namespace strict
}  // namespace vips_edge

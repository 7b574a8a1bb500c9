#include "wasm/debug/message_types.hpp"

#include <set>
#include <string>
#include <vector>

#include "api/api_error.hpp"
#include "api/config.hpp"
#include "handler/message_tables.hpp"
#include "http/response.hpp"

namespace vips_edge::msg {

namespace {

using schema::Describe;
namespace detail = schema::detail;

// Collects declarations in dependency order, each once.
class TypeScript {
 public:
  template <class T>
  std::string type();  // the TS type expression for T, declaring what it names

  std::string text() const;  // imports + declarations

 private:
  template <class T>
  std::string fields_of(bool with_tag);

  std::set<std::string> declared_;
  std::set<std::string> imports_;
  std::string out_;
};

template <class T>
std::string TypeScript::fields_of(bool with_tag) {
  std::string body;
  if constexpr (detail::Tagged<T>)
    if (with_tag) body += "  " + std::string(Describe<T>::tag_key) + ": '" + Describe<T>::tag + "';\n";
  std::apply([&](const auto &...fd) {
    auto one = [&](const auto &d) {
      using M = std::decay_t<decltype(std::declval<T>().*(d.member))>;
      if constexpr (detail::is_optional<M>::value)
        body += "  " + std::string(d.name) + "?: " + type<typename M::value_type>() + ";\n";
      else
        body += "  " + std::string(d.name) + ": " + type<M>() + ";\n";
    };
    (one(fd), ...);
  }, Describe<T>::fields);
  return body;
}

template <class T>
std::string TypeScript::type() {
  if constexpr (detail::External<T>) {  // its own table may describe it too: the import wins
    imports_.insert(Describe<T>::ts);
    return Describe<T>::ts;
  } else if constexpr (detail::is_variant<T>::value || detail::Struct<T> || detail::Enum<T>) {
    std::string name = Describe<T>::name;
    if (!declared_.insert(name).second) return name;
    std::string decl;
    if constexpr (detail::is_variant<T>::value) {
      std::vector<std::string> alts;
      std::vector<std::vector<std::string>> alt_fields;
      [&]<class... A>(std::variant<A...> *) {
        (alts.push_back(type<A>()), ...);
        if constexpr (!(detail::Tagged<A> && ...)) {
          // Untagged: say which fields the other alternatives must not have,
          // so TypeScript refuses an object with both (as the reader does).
          auto names = []<class S>(S *) {
            std::vector<std::string> n;
            std::apply([&](const auto &...fd) { (n.push_back(fd.name), ...); }, Describe<S>::fields);
            return n;
          };
          (alt_fields.push_back(names(static_cast<A *>(nullptr))), ...);
        }
      }(static_cast<T *>(nullptr));
      decl = "export type " + name + " =";
      for (std::size_t i = 0; i < alts.size(); ++i) {
        std::string alt = alts[i];
        if (!alt_fields.empty()) {
          std::string never;
          for (std::size_t k = 0; k < alt_fields.size(); ++k)
            if (k != i)
              for (const auto &f : alt_fields[k]) never += " " + f + "?: never;";
          alt = "(" + alt + " & {" + never + " })";
        }
        decl += "\n  | " + alt;
      }
      decl += ";\n";
    } else if constexpr (detail::Struct<T>) {
      decl = "export interface " + name + " {\n" + fields_of<T>(true) + "}\n";
    } else {
      decl = "export type " + name + " =";
      for (const auto &e : Describe<T>::values) decl += " '" + std::string(e.name) + "' |";
      decl.pop_back();
      decl.back() = ';';
      decl += "\n";
    }
    out_ += (out_.empty() ? "" : "\n") + decl;
    return name;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return "string";
  } else if constexpr (std::is_same_v<T, bool>) {
    return "boolean";
  } else if constexpr (std::is_arithmetic_v<T>) {
    return "number";
  } else if constexpr (std::is_same_v<T, std::map<std::string, std::string>>) {
    return "Record<string, string>";
  } else {
    static_assert(sizeof(T) == 0, "no TypeScript type for this type: describe it");
  }
}

inline std::string TypeScript::text() const {
  std::string imports;
  for (const auto &i : imports_) imports += (imports.empty() ? "" : ", ") + i;
  std::string head = imports.empty() ? "" : "import type { " + imports + " } from 'aws-lambda';\n\n";
  return head + out_;
}

}  // namespace

std::string typescript_declarations() {
  TypeScript ts;
  ts.type<PlanReply>();
  ts.type<FinishReply>();
  ts.type<FetchOutcome>();
  ts.type<CodecOutcome>();
  // The 500 the trigger builds itself (node/src/errors.ts) is the module's
  // internal error (http/response.cpp), under the config's default error
  // cache-control when config.json cannot be read.
  const Config defaults;
  const ApiError internal = ApiError::internal("");
  const cf::Response response = error_response(internal, defaults);
  return ts.text() + "\nexport const DEFAULT_ERROR_CACHE_CONTROL = '" + defaults.error_cache_control.server + "';\n" +
         "export const INTERNAL_ERROR = { status: " + response.status + ", statusDescription: '" +
         response.statusDescription.value_or("") + "', code: '" + internal.code + "' } as const;\n";
}

}  // namespace vips_edge::msg

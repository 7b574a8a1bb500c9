// The shared case files under tests/cases/ (read by the Node tests too).
#pragma once

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace vips_edge::test {

inline std::string read_repo_file(const std::string &relative) {
  const std::string path = std::string(VIPS_EDGE_FIXTURES) + "/../" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline nlohmann::json read_cases(const std::string &name) {
  return nlohmann::json::parse(read_repo_file("tests/cases/" + name));
}

}  // namespace vips_edge::test

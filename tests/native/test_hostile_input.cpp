// Hostile origin bodies through Handler::finish with a real event
// (fixtures/events/origin-request-custom.json, querystring w=200): each must
// end as a 200 with a decodable body within Lambda@Edge's 1 MB, or a clean 4xx
// JSON error; never a 5xx, a crash or a hang (ASan build: cmake -DSANITIZE=ON).
//
// Third-party corpora (libpng's pngsuite + testpngs incl. crashers/,
// libjpeg-turbo's testimages/) come from tests/hostile/fetch-corpora.sh, read
// from $VIPS_EDGE_CORPORA or ${VIPS_EDGE_CACHE:-${XDG_CACHE_HOME:-~/.cache}/vips-edge}/corpora;
// that part is skipped with a warning when they are absent.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <sstream>

#include "hostile_inputs.hpp"
#include "support/text_handler.hpp"

namespace fs = std::filesystem;
using namespace std::chrono;

namespace {

const vips_edge::Handler &handler() {
  static const vips_edge::Handler h{vips_edge::Config{}};
  return h;
}

const std::string &event_w200() {
  static const std::string e = hostile::event_with_query("w=200");
  return e;
}

struct Tally {
  int decoded = 0, passthrough = 0;
  std::map<std::string, int> errors;  // "415 unsupported_format" -> n
  void add(const hostile::Result &r) {
    if (r.decoded) ++decoded;
    else if (r.action == "passthrough") ++passthrough;
    else ++errors[std::to_string(r.status) + " " + r.code];
  }
  std::string str() const {
    std::ostringstream s;
    s << decoded << " decoded";
    if (passthrough) s << ", " << passthrough << " passthrough";
    for (const auto &[k, n] : errors) s << ", " << n << " x " << k;
    return s.str();
  }
};

hostile::Result run(const std::string &name, const hostile::Bytes &bytes, double max_seconds = 20) {
  INFO(name);
  auto t0 = steady_clock::now();
  std::string out = vips_edge::test::finish_text(handler(), event_w200(), hostile::image_outcome_json(), bytes);
  double elapsed = duration<double>(steady_clock::now() - t0).count();
  hostile::Result r = hostile::examine(out);
  CHECK(r.problems == "");
  CHECK(elapsed < max_seconds);
  return r;
}

fs::path corpora_dir() {
  if (const char *env = std::getenv("VIPS_EDGE_CORPORA")) return env;
  fs::path cache;
  if (const char *c = std::getenv("VIPS_EDGE_CACHE")) cache = c;
  else if (const char *x = std::getenv("XDG_CACHE_HOME")) cache = fs::path(x) / "vips-edge";
  else if (const char *h = std::getenv("HOME")) cache = fs::path(h) / ".cache/vips-edge";
  return cache / "corpora";
}

}  // namespace

TEST_CASE("hostile: truncated JPEG/PNG/WebP/GIF fixtures are 200 or 4xx", "[hostile]") {
  Tally tally;
  for (const auto &c : hostile::truncated_fixtures()) {
    auto r = run(c.name, c.bytes);
    tally.add(r);
    if (!r.decoded) CHECK((r.code == "undecodable_image" || r.code == "unsupported_format"));
  }
  std::cerr << "hostile truncated fixtures: " << tally.str() << "\n";
}

TEST_CASE("hostile: random bytes behind a valid magic number are 4xx", "[hostile]") {
  Tally tally;
  for (const auto &c : hostile::random_behind_magic()) {
    auto r = run(c.name, c.bytes);
    tally.add(r);
    INFO(c.name);
    CHECK(!r.decoded);
    CHECK(r.status >= 400);
    CHECK(r.status < 500);
  }
  std::cerr << "hostile random-after-magic: " << tally.str() << "\n";
}

TEST_CASE("hostile: an HTML error page and an empty body are 415", "[hostile]") {
  CHECK(run("html", hostile::html_error_page()).code == "unsupported_format");
  CHECK(run("not-an-image.html", hostile::fixture("not-an-image.html")).status == 415);
  auto empty = run("empty", {});
  CHECK(empty.status == 415);
  CHECK(empty.code == "unsupported_format");
}

TEST_CASE("hostile: a 30000x30000 palette PNG bomb is 413 quickly", "[hostile]") {
  const hostile::Bytes bomb = hostile::palette_png_bomb(30000);
  CHECK(bomb.size() < 200 * 1024);
  auto t0 = steady_clock::now();
  auto r = run("png bomb", bomb);
  CHECK(duration<double>(steady_clock::now() - t0).count() < 2.0);
  CHECK(r.status == 413);
  CHECK(r.code == "source_too_large");
}

TEST_CASE("hostile: a JPEG header claiming 65535x65535 is 413 quickly", "[hostile]") {
  auto t0 = steady_clock::now();
  auto r = run("jpeg 65535", hostile::jpeg_claiming_65535());
  CHECK(duration<double>(steady_clock::now() - t0).count() < 2.0);
  CHECK(r.status == 413);
  CHECK(r.code == "source_too_large");
}

TEST_CASE("hostile: libpng and libjpeg-turbo test corpora", "[hostile][corpora]") {
  const fs::path dir = corpora_dir();
  if (!fs::is_directory(dir)) {
    WARN("hostile corpora not found at " << dir.string() << ": run tests/hostile/fetch-corpora.sh; skipped");
    return;
  }
  std::vector<fs::path> files;
  for (const auto &e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename().string()[0] != '.') files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(!files.empty());
  std::map<std::string, Tally> by_suite;
  for (const auto &file : files) {
    const std::string rel = fs::relative(file, dir).string();
    auto r = run(rel, hostile::read_file(file));
    std::string suite = rel.substr(0, rel.find('/', rel.find('/') + 1));  // libpng/pngsuite
    if (rel.find("/crashers/") != std::string::npos) suite = "libpng/testpngs/crashers";
    by_suite[suite].add(r);
  }
  for (const auto &[suite, tally] : by_suite) std::cerr << "hostile corpus " << suite << ": " << tally.str() << "\n";
}

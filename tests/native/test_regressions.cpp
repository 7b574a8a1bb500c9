// Every input a fuzzer ever crashed on, kept under tests/regressions/<target>/
// and fed through the very function the fuzzer runs (fuzz/targets.hpp):
//   query/  config/  event/  image/  image_spec/  decode_<format>/
// A clean outcome is a result or an expected error (ApiError 4xx,
// EventError, std::invalid_argument); an InvariantFailure or any other
// exception fails the test, and memory errors are caught by the ASan build
// (cmake -DSANITIZE=ON). Adding a crasher: copy the file from
// build/fuzz/crashes/<target>/ into the matching directory, fix, done.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "targets.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> inputs(const char *target) {
  std::vector<fs::path> out;
  fs::path dir = fs::path(VIPS_EDGE_REGRESSIONS) / target;
  if (fs::is_directory(dir))
    for (const auto &entry : fs::directory_iterator(dir))
      if (entry.is_regular_file() && entry.path().filename().string()[0] != '.') out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::uint8_t> read_bytes(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string as_text(const std::vector<std::uint8_t> &b) { return {b.begin(), b.end()}; }

}  // namespace

TEST_CASE("fuzz regressions: every kept crasher has a clean outcome", "[regressions]") {
  using namespace vips_edge::fuzz;
  std::size_t total = 0;
  for (const char *target : {"query", "config", "event", "image", "image_spec"}) {
    for (const fs::path &file : inputs(target)) {
      ++total;
      INFO(target << ": " << file.filename().string());
      const auto bytes = read_bytes(file);
      std::string t = target;
      if (t == "query") CHECK_NOTHROW(query_one(as_text(bytes)));
      else if (t == "config") CHECK_NOTHROW(config_one(as_text(bytes)));
      else if (t == "event") CHECK_NOTHROW(event_one(as_text(bytes)));
      else if (t == "image") CHECK_NOTHROW(image_one(bytes));
      else CHECK_NOTHROW(image_spec_one(bytes));
    }
  }
  const std::pair<const char *, vips_edge::ImageFormat> decoders[] = {
      {"decode_jpeg", vips_edge::ImageFormat::Jpeg}, {"decode_png", vips_edge::ImageFormat::Png},
      {"decode_webp", vips_edge::ImageFormat::Webp}, {"decode_gif", vips_edge::ImageFormat::Gif},
      {"decode_avif", vips_edge::ImageFormat::Avif}, {"decode_tiff", vips_edge::ImageFormat::Tiff}};
  for (const auto &[target, format] : decoders) {
    for (const fs::path &file : inputs(target)) {
      ++total;
      INFO(target << ": " << file.filename().string());
      CHECK_NOTHROW(decode_one(read_bytes(file), format));
    }
  }
  CHECK(total > 0);
}

TEST_CASE("the query fuzz target's invariants hold on every shared case and table example", "[regressions][canonical]") {
  // query_one checks, among others, that the canonical query is collectable, a
  // fixed point and means what the query meant; run it on the known cases too.
  const auto cases = nlohmann::json::parse(std::ifstream(std::string(VIPS_EDGE_FIXTURES) + "/../tests/cases/canonical.json"));
  for (const auto &c : cases["cases"]) {
    INFO(c["query"].get<std::string>());
    CHECK_NOTHROW(vips_edge::fuzz::query_one(c["query"].get<std::string>()));
    CHECK_NOTHROW(vips_edge::fuzz::query_one(c["query"].get<std::string>() + "\nimage/webp"));
  }
  const auto table = nlohmann::json::parse(std::ifstream(std::string(VIPS_EDGE_FIXTURES) + "/../src/api/params.json"));
  for (const auto &p : table["params"]) {
    const std::string context = p.value("context", std::string("w=10&h=10"));
    for (const char *list : {"valid", "invalid"})
      for (const auto &v : p[list]) {
        const std::string q = context + "&" + p["name"].get<std::string>() + "=" + v.get<std::string>() + "&dpr=1.0";
        INFO(q);
        CHECK_NOTHROW(vips_edge::fuzz::query_one(q));
      }
  }
}

TEST_CASE("the decode fuzz targets decode their own format and refuse the others cleanly", "[regressions][decode]") {
  using vips_edge::ImageFormat;
  using vips_edge::fuzz::decode_one;
  // Fixtures under the targets' 300 k pixel cap (image_config): EXIF-rotated
  // and CMYK JPEG, palette and 16-bit PNG, animated and alpha WebP, animated
  // and still GIF, AVIF with alpha.
  const std::pair<const char *, ImageFormat> fixtures[] = {
      {"orientation-6.jpg", ImageFormat::Jpeg}, {"cmyk-patches.jpg", ImageFormat::Jpeg},
      {"palette.png", ImageFormat::Png},        {"rgb16.png", ImageFormat::Png},
      {"animated-rgba.webp", ImageFormat::Webp}, {"alpha-half-transparent.webp", ImageFormat::Webp},
      {"animated-rgb.gif", ImageFormat::Gif},   {"photo.gif", ImageFormat::Gif},
      {"alpha-half-transparent.avif", ImageFormat::Avif}};
  for (const auto &[name, own] : fixtures) {
    const auto bytes = read_bytes(fs::path(VIPS_EDGE_FIXTURES) / "images" / name);
    for (const ImageFormat format : {ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::Webp, ImageFormat::Gif,
                                     ImageFormat::Avif}) {
      INFO(name << " through the " << vips_edge::format_info(format).name << " target");
      bool decoded = false;
      REQUIRE_NOTHROW(decoded = decode_one(bytes, format));
      // Another format's magic bytes over the file never make it decode.
      CHECK(decoded == (format == own));
    }
  }
  // Over the cap (1600x1203): refused from the header, a clean 413.
  CHECK_FALSE(decode_one(read_bytes(fs::path(VIPS_EDGE_FIXTURES) / "images/photo-baseline.jpg"), ImageFormat::Jpeg));
  // Nothing but the magic bytes: refused cleanly by every decoder.
  for (const ImageFormat format : {ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::Webp, ImageFormat::Gif,
                                   ImageFormat::Avif})
    CHECK_FALSE(decode_one({}, format));
}

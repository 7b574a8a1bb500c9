#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include "api/parse_spec.hpp"
#include "image_helpers.hpp"
#include "image/output_estimate.hpp"
using namespace vips_edge;
TEST_CASE("measure", "[.measure]") {
  const char *file = std::getenv("M_FILE");
  const char *queries = std::getenv("M_QUERIES");
  std::ifstream in(file, std::ios::binary);
  test::Bytes src(std::istreambuf_iterator<char>(in), {});
  std::string qs(queries);
  size_t p = 0;
  while (p < qs.size()) {
    size_t e = qs.find(' ', p); if (e == std::string::npos) e = qs.size();
    std::string q = qs.substr(p, e - p); p = e + 1;
    Config c; c.max_filter_work = ~0ull; c.max_smart_crop_pixels = ~0ull; c.max_trim_pixels = ~0ull; c.max_avif_pixels = ~0ull; c.max_working_memory = ~0ull;
    auto spec = parse_spec(q, {}, c);
    auto t0 = std::chrono::steady_clock::now();
    PreparedImage pr = prepare_image(src, *spec, c);
    auto t1 = std::chrono::steady_clock::now();
    size_t bytes = 0; double t3ms = 0, t4ms = 0;
    if (pr.format != ImageFormat::Avif) {
      auto est = OutputEstimate::of(pr);
      auto t2 = std::chrono::steady_clock::now();
      double predicted = est ? est->bytes_at(pr.default_quality) : 0;
      auto t3 = std::chrono::steady_clock::now();
      bytes = encode_image(pr, pr.default_quality).bytes.size();
      auto t4 = std::chrono::steady_clock::now();
      t3ms = std::chrono::duration<double, std::milli>(t3 - t2).count();
      t4ms = std::chrono::duration<double, std::milli>(t4 - t3).count();
      std::cout << q << " prepare " << std::chrono::duration<double, std::milli>(t1 - t0).count() << " ms, sample " << t3ms << " ms, encode " << t4ms << " ms, " << pr.image.width() << "x" << pr.image.height() << " bytes " << bytes << " predicted " << predicted << "\n";
    } else std::cout << q << " prepare " << std::chrono::duration<double, std::milli>(t1 - t0).count() << "\n";
  }
}

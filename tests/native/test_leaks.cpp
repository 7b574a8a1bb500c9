// Leak run: N mixed requests (valid / invalid / hostile) through Handler
// plan + finish. Hidden from the default run ([.]); meant for the ASan build:
//   cmake -S . -B build/native-asan -G Ninja -DSANITIZE=ON && cmake --build build/native-asan
//   ASAN_OPTIONS=detect_leaks=1 build/native-asan/vips_edge_tests "[leak]"
// LeakSanitizer reports at exit; a clean run prints nothing after the summary.
// N = $VIPS_EDGE_LEAK_REQUESTS (default 1000).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>
#include <map>

#include "hostile_inputs.hpp"
#include "support/text_handler.hpp"

TEST_CASE("leak run: 1000 mixed requests through Handler", "[.][leak]") {
  const int n = std::getenv("VIPS_EDGE_LEAK_REQUESTS") ? std::atoi(std::getenv("VIPS_EDGE_LEAK_REQUESTS")) : 1000;
  vips_edge::Config config;
  config.signing = vips_edge::SigningConfig{{{"default", "secret"}}, false};
  const vips_edge::Handler handler(config);

  struct Input {
    std::string name, query;
    hostile::Bytes bytes;
  };
  std::vector<Input> inputs;
  for (const char *f : {"orientation-6.jpg", "photo.webp", "split-left-red-right-blue.png", "photo-gray.jpg",
                        "alpha-half-transparent.webp", "photo-missing-eoi.jpg", "photo-truncated.jpg"})
    for (const char *q : {"w=64", "w=48&h=48&fit=cover&pos=attention", "w=80&h=40&fit=contain&bg=f00&format=png",
                          "w=64&format=auto&q=50", "h=32&dpr=2.5&format=webp"})
      inputs.push_back({f, q, hostile::fixture(f)});
  for (const char *q : {"w=abc", "w=1&width=2", "w=64&sig=bad", "q=0", "w=%ZZ"})  // 400 / 403
    inputs.push_back({"invalid query", q, hostile::fixture("orientation-1.jpg")});
  for (auto &c : hostile::truncated_fixtures()) inputs.push_back({c.name, "w=64", std::move(c.bytes)});
  for (auto &c : hostile::random_behind_magic()) inputs.push_back({c.name, "w=64", std::move(c.bytes)});
  inputs.push_back({"html", "w=64", hostile::html_error_page()});
  inputs.push_back({"empty", "w=64", {}});
  inputs.push_back({"jpeg 65535", "w=64", hostile::jpeg_claiming_65535()});
  inputs.push_back({"png bomb", "w=64", hostile::palette_png_bomb(30000)});

  std::map<std::string, int> outcomes;
  std::map<std::string, std::string> events;
  for (int i = 0; i < n; ++i) {
    const Input &in = inputs[static_cast<std::size_t>(i) % inputs.size()];
    auto &event = events[in.query];
    if (event.empty()) event = hostile::event_with_query(in.query);
    if (i % 10 == 0) REQUIRE(nlohmann::json::parse(vips_edge::test::plan_text(handler, event)).contains("action"));  // plan path too
    // Every 25th request: the origin failed instead.
    const bool timeout = i % 25 == 24;
    std::string outcome = timeout ? R"({"error":"timeout","message":"slow"})" : hostile::image_outcome_json();
    std::string out = vips_edge::test::finish_text(handler, event, outcome, in.bytes);
    INFO(in.name << " ?" << in.query);
    if (timeout && out.find(R"("status":"504")") != std::string::npos) {
      ++outcomes["504 origin_timeout"];
      continue;
    }
    hostile::Result r = hostile::examine(out);
    REQUIRE(r.problems == "");
    ++outcomes[r.decoded ? "200" : r.action == "passthrough" ? "passthrough" : std::to_string(r.status) + " " + r.code];
  }
  std::cerr << "leak run: " << n << " requests:";
  for (const auto &[k, v] : outcomes) std::cerr << " " << k << "=" << v << ";";
  std::cerr << "\n";
}

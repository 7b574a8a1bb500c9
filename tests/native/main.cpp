// Catch2 runner: initialises libvips once for every test case.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "image/pipeline.hpp"

int main(int argc, char *argv[]) {
  vips_edge::init_vips(1);
  return Catch::Session().run(argc, argv);
}

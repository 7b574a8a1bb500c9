// libFuzzer target: see config_one in fuzz/targets.hpp for the input format and
// the invariants checked. Run with fuzz/run.sh (make fuzz).
#include "targets.hpp"

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  vips_edge::init_vips(1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  vips_edge::fuzz::config_one(std::string_view(reinterpret_cast<const char *>(data), size));
  return 0;
}

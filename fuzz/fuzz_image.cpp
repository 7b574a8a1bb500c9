// libFuzzer target: arbitrary bytes as the origin's image body.
//   fuzz_image:      Handler::finish with a real event, w=64&h=48 (image_one)
//   fuzz_image_spec: built with VIPS_EDGE_FUZZ_SPEC_FROM_INPUT: the first 4
//                    bytes pick the spec, prepare_image + encode_image (the
//                    codec module's decode/encode for AVIF)
//                    (image_spec_one)
// See fuzz/targets.hpp. Run with fuzz/run.sh (make fuzz).
#include "targets.hpp"

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  vips_edge::init_vips(1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
#ifdef VIPS_EDGE_FUZZ_SPEC_FROM_INPUT
  vips_edge::fuzz::image_spec_one(std::span<const std::uint8_t>(data, size));
#else
  vips_edge::fuzz::image_one(std::span<const std::uint8_t>(data, size));
#endif
  return 0;
}

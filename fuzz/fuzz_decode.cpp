// libFuzzer target, one executable per decoder: fuzz_decode_<format> is this
// file built with VIPS_EDGE_FUZZ_FORMAT=ImageFormat::<Format> (CMakeLists.txt),
// running decode_one (fuzz/targets.hpp): that decoder, a thumbnail, the pixels.
// fuzz/run.sh keeps a corpus and an execution ledger per target.
#include "targets.hpp"

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  vips_edge::init_vips(1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  vips_edge::fuzz::decode_one(std::span<const std::uint8_t>(data, size), vips_edge::ImageFormat::VIPS_EDGE_FUZZ_FORMAT);
  return 0;
}

// Why a codec call failed: one enum and one set of names for the codec
// module, which reports it (heif_codec.hpp, wasm_exports.cpp), the trigger,
// which passes the name on unchanged (node/src/codec.ts), and the core,
// which reads it as msg::CodecError (handler/messages.hpp) and maps it to a
// status (handler.cpp).
#pragma once

#include <array>

namespace vips_edge::codec {

enum class Failure {
  Corrupt,      // not a readable HEIF file, or its image data does not decode (422)
  Unsupported,  // a HEIF the module has no decoder for, e.g. HEVC (HEIC) (415)
  TooLarge,     // more pixels than the caller allowed, from the header (413)
  Internal,     // the encoder failed (500)
  Unavailable,  // the trigger's own: the codec module could not run at all (500)
};

struct FailureName {
  const char *name;
  Failure value;
};

// Every failure's name, as the messages spell it.
inline constexpr std::array<FailureName, 5> kFailureNames = {{
    {"corrupt", Failure::Corrupt},
    {"unsupported", Failure::Unsupported},
    {"too_large", Failure::TooLarge},
    {"internal", Failure::Internal},
    {"unavailable", Failure::Unavailable},
}};

inline const char *failure_name(Failure failure) {
  for (const FailureName &f : kFailureNames)
    if (f.value == failure) return f.name;
  return "internal";
}

}  // namespace vips_edge::codec

#include "codec/heif_codec.hpp"

#include "util/ftyp.hpp"

#include <libheif/heif.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace vips_edge::codec {

namespace {

// libheif objects, freed on every path.
struct ContextFree { void operator()(heif_context *p) const { heif_context_free(p); } };
struct HandleFree { void operator()(heif_image_handle *p) const { heif_image_handle_release(p); } };
struct ImageFree { void operator()(heif_image *p) const { heif_image_release(p); } };
struct EncoderFree { void operator()(heif_encoder *p) const { heif_encoder_release(p); } };
struct OptionsFree { void operator()(heif_encoding_options *p) const { heif_encoding_options_free(p); } };
using Context = std::unique_ptr<heif_context, ContextFree>;
using Handle = std::unique_ptr<heif_image_handle, HandleFree>;
using Image = std::unique_ptr<heif_image, ImageFree>;
using Encoder = std::unique_ptr<heif_encoder, EncoderFree>;
using Options = std::unique_ptr<heif_encoding_options, OptionsFree>;

void check(const heif_error &error, Failure failure, const char *what) {
  if (error.code == heif_error_Ok) return;
  std::string message = std::string(what) + ": " + (error.message ? error.message : "libheif error");
  // libheif's own limits (an ispe of 65535x65535 is refused while reading):
  // the same 413 as our max_pixels check.
  if (error.subcode == heif_suberror_Security_limit_exceeded && failure != Failure::Internal)
    failure = Failure::TooLarge;
  // A file libheif reads but has no decoder for (HEVC in a build without one).
  if (error.code == heif_error_Unsupported_feature || error.code == heif_error_Unsupported_filetype ||
      error.subcode == heif_suberror_Unsupported_codec)
    failure = failure == Failure::Internal ? failure : Failure::Unsupported;
  throw CodecError(failure, message);
}

}  // namespace

std::vector<std::uint8_t> encode_avif(std::span<const std::uint8_t> pixels, const EncodeParams &p) {
  if (p.channels != 3 && p.channels != 4) throw CodecError(Failure::Internal, "channels must be 3 or 4");
  if (p.width < 1 || p.height < 1 ||
      pixels.size() != std::size_t(p.width) * std::size_t(p.height) * std::size_t(p.channels))
    throw CodecError(Failure::Internal, "pixel buffer does not match width x height x channels");
  // The fuzz build's libheif decodes only (third_party/libheif/native.sh, no
  // aom): AVIF output there is a clean refusal (415), not an internal error.
  // The product's codec module always has the encoder.
  if (!heif_have_encoder_for_format(heif_compression_AV1))
    throw CodecError(Failure::Unsupported, "this build's libheif has no AV1 encoder (decode-only fuzz build)");
  Context ctx(heif_context_alloc());
  heif_encoder *raw_encoder = nullptr;
  check(heif_context_get_encoder_for_format(ctx.get(), heif_compression_AV1, &raw_encoder), Failure::Internal,
        "no AV1 encoder");
  Encoder encoder(raw_encoder);
  check(heif_encoder_set_lossy_quality(encoder.get(), p.quality), Failure::Internal, "quality");
  check(heif_encoder_set_parameter_integer(encoder.get(), "speed", p.speed), Failure::Internal, "speed");
  check(heif_encoder_set_parameter_string(encoder.get(), "chroma", "420"), Failure::Internal, "chroma");

  heif_image *raw_image = nullptr;
  check(heif_image_create(p.width, p.height, heif_colorspace_RGB,
                          p.channels == 4 ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB, &raw_image),
        Failure::Internal, "image");
  Image image(raw_image);
  check(heif_image_add_plane(image.get(), heif_channel_interleaved, p.width, p.height, 8), Failure::Internal, "plane");
  int stride = 0;
  std::uint8_t *plane = heif_image_get_plane(image.get(), heif_channel_interleaved, &stride);
  const std::size_t row = std::size_t(p.width) * std::size_t(p.channels);
  for (int y = 0; y < p.height; ++y) std::memcpy(plane + std::size_t(y) * std::size_t(stride), pixels.data() + y * row, row);

  Options options(heif_encoding_options_alloc());
  options->save_alpha_channel = p.channels == 4;
  check(heif_context_encode_image(ctx.get(), image.get(), encoder.get(), options.get(), nullptr), Failure::Internal,
        "encode");

  std::vector<std::uint8_t> out;
  heif_writer writer{};
  writer.writer_api_version = 1;
  writer.write = [](heif_context *, const void *data, size_t size, void *user) {
    auto *bytes = static_cast<std::vector<std::uint8_t> *>(user);
    bytes->insert(bytes->end(), static_cast<const std::uint8_t *>(data), static_cast<const std::uint8_t *>(data) + size);
    return heif_error{heif_error_Ok, heif_suberror_Unspecified, "ok"};
  };
  check(heif_context_write(ctx.get(), &writer, &out), Failure::Internal, "write");
  return out;
}

namespace {

// AVIF files name the "avif" (or "avis") brand in their ftyp box. Other HEIF
// files (HEIC: HEVC) are refused up front, so the native build (Debian's
// libheif decodes HEVC) answers exactly as the module (no HEVC decoder) does.
bool is_avif(std::span<const std::uint8_t> file) { return has_ftyp_brand(file, {"avif", "avis"}); }

#if LIBHEIF_NUMERIC_VERSION >= ((1 << 24) | (19 << 16))
// heif_get_global_security_limits() points at libheif's own (non-const)
// defaults, which it hands to new decoders and copies into new contexts.
heif_security_limits *global_limits() {
  return const_cast<heif_security_limits *>(heif_get_global_security_limits());
}
#endif

// libheif's image size limit, in pixels: an item whose declared size (ispe)
// is larger is refused, while the file is read and again when it is decoded.
// The declared size is only a claim about the AV1 stream, whose frame dav1d
// decodes at whatever size the stream says (up to 8192 x 8192 on wasm32,
// dav1d's own cap): a small file can declare 64x64 and carry an 8000x8000
// frame. libheif 1.19 opens dav1d with the *global* limit
// (plugins/decoder_dav1d.cc, frame_size_limit), not the context's, so that
// one is set too. The codec is single-threaded: one call at a time in the
// module, and in the native driver. Debian 12's libheif 1.15 (the native
// twin's) has no limits to set: there the decoded size's check in
// decode_heif is the guard.
void limit_pixels([[maybe_unused]] heif_context *ctx, [[maybe_unused]] std::uint64_t pixels) {
#if LIBHEIF_NUMERIC_VERSION >= ((1 << 24) | (19 << 16))
  pixels = std::max<std::uint64_t>(pixels, 1);  // 0 means "no limit" to libheif
  heif_security_limits limits = *heif_context_get_security_limits(ctx);
  limits.max_image_size_pixels = pixels;
  check(heif_context_set_security_limits(ctx, &limits), Failure::Internal, "security limits");
  global_limits()->max_image_size_pixels = pixels;
#endif
}

// Puts the global limit back however a decode ends: lowered for one file's
// dav1d, it would otherwise stay at that file's size for every context
// allocated afterwards in the warm module (the AVIF encoder's included).
class GlobalLimitRestorer {
#if LIBHEIF_NUMERIC_VERSION >= ((1 << 24) | (19 << 16))
 public:
  GlobalLimitRestorer() : saved_(global_limits()->max_image_size_pixels) {}
  ~GlobalLimitRestorer() { global_limits()->max_image_size_pixels = saved_; }
  GlobalLimitRestorer(const GlobalLimitRestorer &) = delete;
  GlobalLimitRestorer &operator=(const GlobalLimitRestorer &) = delete;

 private:
  std::uint64_t saved_;
#endif
};

}  // namespace

Decoded decode_heif(std::span<const std::uint8_t> file, std::uint64_t max_pixels) {
  if (!is_avif(file)) throw CodecError(Failure::Unsupported, "only AVIF is supported among HEIF files (HEIC is not)");
  [[maybe_unused]] const GlobalLimitRestorer restore_global_limit;
  Context ctx(heif_context_alloc());
  // No item declaring more than max_pixels is read.
  limit_pixels(ctx.get(), max_pixels);
  check(heif_context_read_from_memory_without_copy(ctx.get(), file.data(), file.size(), nullptr), Failure::Corrupt,
        "cannot read the HEIF file");
  heif_image_handle *raw_handle = nullptr;
  check(heif_context_get_primary_image_handle(ctx.get(), &raw_handle), Failure::Corrupt, "no primary image");
  Handle handle(raw_handle);
  const int width = heif_image_handle_get_width(handle.get());
  const int height = heif_image_handle_get_height(handle.get());
  if (width < 1 || height < 1) throw CodecError(Failure::Corrupt, "the HEIF image has no size");
  if (std::uint64_t(width) * std::uint64_t(height) > max_pixels)
    throw CodecError(Failure::TooLarge, std::to_string(width) + "x" + std::to_string(height) + " is more than " +
                                            std::to_string(max_pixels) + " pixels");
  const bool alpha = heif_image_handle_has_alpha_channel(handle.get());
  // No AV1 frame (the image's, its alpha's) larger than the image's declared
  // size is decoded: its ispe, the coded size before a crop (clap) or a
  // rotation, no larger than max_pixels once read.
  const std::uint64_t declared = std::uint64_t(std::max(heif_image_handle_get_ispe_width(handle.get()), 0)) *
                                 std::uint64_t(std::max(heif_image_handle_get_ispe_height(handle.get()), 0));
  limit_pixels(ctx.get(), std::min(declared, max_pixels));

  heif_image *raw_image = nullptr;
  check(heif_decode_image(handle.get(), &raw_image, heif_colorspace_RGB,
                          alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB, nullptr),
        Failure::Corrupt, "cannot decode the image");
  Image image(raw_image);

  Decoded out;
  out.channels = alpha ? 4 : 3;
  out.width = heif_image_get_width(image.get(), heif_channel_interleaved);
  out.height = heif_image_get_height(image.get(), heif_channel_interleaved);
  int stride = 0;
  const std::uint8_t *plane = heif_image_get_plane_readonly(image.get(), heif_channel_interleaved, &stride);
  // High bit depth decodes to 16-bit interleaved planes; we ask for 8-bit
  // chroma layouts, so anything else is a file we cannot convert.
  if (!plane || out.width < 1 || out.height < 1 ||
      heif_image_get_bits_per_pixel_range(image.get(), heif_channel_interleaved) != 8)
    throw CodecError(Failure::Unsupported, "the decoded image is not 8-bit RGB(A)");
  // Crops and rotations only shrink or turn the declared size: larger, and
  // the file lied about it (the guard where libheif has no limits).
  if (std::uint64_t(out.width) * std::uint64_t(out.height) > std::uint64_t(width) * std::uint64_t(height))
    throw CodecError(Failure::Corrupt, "the image decodes to " + std::to_string(out.width) + "x" +
                                           std::to_string(out.height) + ", larger than the " + std::to_string(width) +
                                           "x" + std::to_string(height) + " it declares");
  const std::size_t row = std::size_t(out.width) * std::size_t(out.channels);
  out.pixels.resize(row * std::size_t(out.height));
  for (int y = 0; y < out.height; ++y)
    std::memcpy(out.pixels.data() + y * row, plane + std::size_t(y) * std::size_t(stride), row);

  const heif_color_profile_type profile = heif_image_handle_get_color_profile_type(handle.get());
  if (profile == heif_color_profile_type_prof || profile == heif_color_profile_type_rICC) {
    out.icc.resize(heif_image_handle_get_raw_color_profile_size(handle.get()));
    if (!out.icc.empty() &&
        heif_image_handle_get_raw_color_profile(handle.get(), out.icc.data()).code != heif_error_Ok)
      out.icc.clear();  // an unreadable profile: the pixels are taken as sRGB
  }
  return out;
}

}  // namespace vips_edge::codec

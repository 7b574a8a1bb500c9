#include "codec/tiff_codec.hpp"

#include <tiffio.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace vips_edge::codec {

namespace {

// The file in memory, read through libtiff's client I/O (no copy: it is
// also "mapped", so strips are read in place), and the first message
// libtiff reported while reading it.
struct Reader {
  std::span<const std::uint8_t> file;
  std::uint64_t pos = 0;
  std::string error;
};

Reader &reader_of(thandle_t handle) { return *static_cast<Reader *>(handle); }

tmsize_t read_proc(thandle_t handle, void *buffer, tmsize_t size) {
  Reader &r = reader_of(handle);
  if (size < 0) return -1;
  const std::uint64_t left = r.pos < r.file.size() ? r.file.size() - r.pos : 0;
  const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(static_cast<std::uint64_t>(size), left));
  if (n) std::memcpy(buffer, r.file.data() + r.pos, n);
  r.pos += n;
  return static_cast<tmsize_t>(n);
}

tmsize_t write_proc(thandle_t, void *, tmsize_t) { return -1; }

toff_t seek_proc(thandle_t handle, toff_t offset, int whence) {
  Reader &r = reader_of(handle);
  // SEEK_CUR/SEEK_END offsets may be negative, passed as a wrapped toff_t.
  const std::uint64_t base = whence == SEEK_CUR ? r.pos : whence == SEEK_END ? r.file.size() : 0;
  const std::uint64_t to = whence == SEEK_SET ? offset : base + offset;
  if (whence != SEEK_SET && static_cast<std::int64_t>(offset) < 0 &&
      static_cast<std::uint64_t>(-static_cast<std::int64_t>(offset)) > base)
    return static_cast<toff_t>(-1);
  r.pos = to;
  return to;
}

int close_proc(thandle_t) { return 0; }
toff_t size_proc(thandle_t handle) { return reader_of(handle).file.size(); }
int map_proc(thandle_t handle, void **base, toff_t *size) {
  Reader &r = reader_of(handle);
  *base = const_cast<std::uint8_t *>(r.file.data());  // "rm" is never asked: read-only
  *size = r.file.size();
  return 1;
}
void unmap_proc(thandle_t, void *, toff_t) {}

// Per-file handlers: libtiff never prints (a corrupt upload must not write to
// the function's log per request) and the first error becomes the message.
int on_error(TIFF *, void *user, const char *, const char *format, va_list args) {
  auto &r = *static_cast<Reader *>(user);
  if (r.error.empty()) {
    char text[256];
    std::vsnprintf(text, sizeof text, format, args);
    r.error = text;
  }
  return 1;  // handled: the global handler is not called
}
int on_warning(TIFF *, void *, const char *, const char *, va_list) { return 1; }

// The process-wide handlers print to stderr by default; some messages are
// reported without a TIFF handle, so those are silenced once too.
void silence_global_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    TIFFSetErrorHandler(nullptr);
    TIFFSetWarningHandler(nullptr);
  });
}

struct TiffClose { void operator()(TIFF *p) const { TIFFClose(p); } };
struct OptionsFree { void operator()(TIFFOpenOptions *p) const { TIFFOpenOptionsFree(p); } };
struct RgbaEnd { void operator()(TIFFRGBAImage *p) const { TIFFRGBAImageEnd(p); } };

std::string with_detail(const std::string &what, const std::string &detail) {
  return detail.empty() ? what : what + ": " + detail;
}

// The pixel at upright (x, y) comes from the stored (sx, sy), for TIFF's
// Orientation tag (EXIF's orientation is the same tag).
std::vector<std::uint8_t> upright(const std::vector<std::uint8_t> &stored, int w, int h, int channels,
                                  int orientation, int &out_w, int &out_h) {
  const bool transposed = orientation >= 5 && orientation <= 8;
  out_w = transposed ? h : w;
  out_h = transposed ? w : h;
  std::vector<std::uint8_t> out(stored.size());
  for (int y = 0; y < out_h; ++y) {
    for (int x = 0; x < out_w; ++x) {
      int sx = x, sy = y;
      switch (orientation) {
        case 2: sx = w - 1 - x; break;
        case 3: sx = w - 1 - x; sy = h - 1 - y; break;
        case 4: sy = h - 1 - y; break;
        case 5: sx = y; sy = x; break;
        case 6: sx = y; sy = h - 1 - x; break;
        case 7: sx = w - 1 - y; sy = h - 1 - x; break;
        case 8: sx = w - 1 - y; sy = x; break;
        default: break;
      }
      std::memcpy(out.data() + (std::size_t(y) * std::size_t(out_w) + std::size_t(x)) * std::size_t(channels),
                  stored.data() + (std::size_t(sy) * std::size_t(w) + std::size_t(sx)) * std::size_t(channels),
                  std::size_t(channels));
    }
  }
  return out;
}

// An ICC profile for RGB data: a grey profile (libtiff expands grey to RGB)
// would not apply to the pixels we return.
bool is_rgb_profile(const std::uint8_t *icc, std::uint32_t length) {
  return length >= 128 && std::memcmp(icc + 16, "RGB ", 4) == 0;
}

}  // namespace

bool is_tiff(std::span<const std::uint8_t> f) {
  if (f.size() < 4) return false;
  const bool little = f[0] == 'I' && f[1] == 'I' && (f[2] == 42 || f[2] == 43) && f[3] == 0;
  const bool big = f[0] == 'M' && f[1] == 'M' && f[2] == 0 && (f[3] == 42 || f[3] == 43);
  return little || big;
}

Decoded decode_tiff(std::span<const std::uint8_t> file, std::uint64_t max_pixels) {
  silence_global_handlers();
  Reader reader{file, 0, {}};
  std::unique_ptr<TIFFOpenOptions, OptionsFree> options(TIFFOpenOptionsAlloc());
  TIFFOpenOptionsSetErrorHandlerExtR(options.get(), on_error, &reader);
  TIFFOpenOptionsSetWarningHandlerExtR(options.get(), on_warning, &reader);
  // No single allocation beyond what an allowed image needs (16-bit RGBA,
  // a whole-image strip), whatever a crafted header claims.
  // (tmsize_t is 32-bit in wasm32.)
  const std::uint64_t most = std::min<std::uint64_t>(std::min<std::uint64_t>(max_pixels, 1ull << 40) * 8 + (16u << 20),
                                                     std::uint64_t(std::numeric_limits<tmsize_t>::max()));
  TIFFOpenOptionsSetMaxSingleMemAlloc(options.get(), static_cast<tmsize_t>(most));
  std::unique_ptr<TIFF, TiffClose> tif(TIFFClientOpenExt("source", "r", &reader, read_proc, write_proc, seek_proc,
                                                         close_proc, size_proc, map_proc, unmap_proc, options.get()));
  if (!tif) throw CodecError(Failure::Corrupt, with_detail("cannot read the TIFF file", reader.error));

  // Directory 0, the first page, is the current one after opening.
  std::uint32_t width = 0, height = 0;
  TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &width);
  TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &height);
  if (width < 1 || height < 1 || width > 0x7fffffff || height > 0x7fffffff)
    throw CodecError(Failure::Corrupt, "the TIFF image has no size");
  if (std::uint64_t(width) * std::uint64_t(height) > max_pixels)
    throw CodecError(Failure::TooLarge, std::to_string(width) + "x" + std::to_string(height) + " is more than " +
                                            std::to_string(max_pixels) + " pixels");
  std::uint16_t compression = COMPRESSION_NONE, photometric = PHOTOMETRIC_RGB;
  TIFFGetFieldDefaulted(tif.get(), TIFFTAG_COMPRESSION, &compression);
  if (!TIFFIsCODECConfigured(compression))
    throw CodecError(Failure::Unsupported, "TIFF compression " + std::to_string(compression) + " is not supported");
  const bool has_photometric = TIFFGetField(tif.get(), TIFFTAG_PHOTOMETRIC, &photometric);
  if (has_photometric && photometric == PHOTOMETRIC_SEPARATED)
    throw CodecError(Failure::Unsupported, "CMYK (separated) TIFF is not supported");

  char message[1024] = "";
  if (!TIFFRGBAImageOK(tif.get(), message))
    throw CodecError(Failure::Unsupported, with_detail("unsupported TIFF", message));
  TIFFRGBAImage image{};
  if (!TIFFRGBAImageBegin(&image, tif.get(), 1, message))  // 1: stop at the first damaged strip or tile
    throw CodecError(Failure::Corrupt, with_detail("cannot decode the TIFF image", message));
  std::unique_ptr<TIFFRGBAImage, RgbaEnd> end(&image);
  // Rows as stored (no flip by libtiff: it cannot transpose, so the
  // Orientation tag is applied below, every value alike).
  const int orientation = image.orientation;
  image.req_orientation = image.orientation;

  // One buffer: libtiff's 32-bit RGBA raster (bytes R, G, B, A on every
  // little-endian target: wasm32, x86-64), then packed in place to 3 or 4
  // bytes a pixel.
  if (std::uint64_t(width) * std::uint64_t(height) * 4 > std::numeric_limits<std::size_t>::max())
    throw CodecError(Failure::TooLarge, "the TIFF image does not fit this module's memory");  // wasm32
  const std::size_t pixels = std::size_t(width) * std::size_t(height);
  std::vector<std::uint8_t> data(pixels * 4);
  if (!TIFFRGBAImageGet(&image, reinterpret_cast<std::uint32_t *>(data.data()), width, height))
    throw CodecError(Failure::Corrupt, with_detail("cannot decode the TIFF image", reader.error));
  // libtiff premultiplies RGB(A) by alpha (associated alpha kept as stored,
  // unassociated multiplied in); its grey + alpha path keeps the samples as
  // stored. The core expects straight (unassociated) alpha.
  const bool alpha = image.alpha != 0;
  const bool grey = photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_MINISWHITE;
  const bool premultiplied = image.alpha == EXTRASAMPLE_ASSOCALPHA || (image.alpha == EXTRASAMPLE_UNASSALPHA && !grey);
  end.reset();

  Decoded out;
  out.channels = alpha ? 4 : 3;
  std::uint8_t *to = data.data();
  for (std::size_t i = 0; i < pixels; ++i) {
    const std::uint8_t *p = data.data() + i * 4;
    const std::uint8_t a = p[3];
    for (int c = 0; c < 3; ++c)
      *to++ = premultiplied && a != 0 && a != 255 ? std::uint8_t(std::min(255, (p[c] * 255 + a / 2) / a)) : p[c];
    if (alpha) *to++ = a;
  }
  data.resize(pixels * std::size_t(out.channels));
  if (orientation >= 2 && orientation <= 8) {
    out.pixels = upright(data, int(width), int(height), out.channels, orientation, out.width, out.height);
  } else {
    out.pixels = std::move(data);
    out.width = int(width);
    out.height = int(height);
  }

  std::uint32_t icc_length = 0;
  const void *icc = nullptr;
  if (TIFFGetField(tif.get(), TIFFTAG_ICCPROFILE, &icc_length, &icc) && icc &&
      is_rgb_profile(static_cast<const std::uint8_t *>(icc), icc_length)) {
    const auto *bytes = static_cast<const std::uint8_t *>(icc);
    out.icc.assign(bytes, bytes + icc_length);
  }
  return out;
}

}  // namespace vips_edge::codec

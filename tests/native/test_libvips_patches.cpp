// Our libvips patches for vips 8.16.1-1+deb13u2's security fixes
// (third_party/libvips/05-08): each case fails on the unpatched library. They
// call libvips directly: requests never reach these paths with the default
// limits (a frame over maxInputPixels, keep=none on save, memory sources
// only), which is the point of carrying the fixes anyway. The 32-bit wraps
// (a GIF canvas of 2^30 pixels, size_t buffer sizes) only show in wasm32:
// tests/node/libvips-patches.test.mjs.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <vips/vips8>

using vips::VError;
using vips::VImage;

namespace {

// A GIF89a of width x height with `frames` 1x1 frames in its bottom right
// corner (two-colour local table, one LZW-coded pixel each). libnsgif sizes
// a canvas over 2048 pixels a side by its frames, hence the corner.
std::vector<std::uint8_t> gif_with_frames(int width, int height, int frames) {
  std::vector<std::uint8_t> b = {'G', 'I', 'F', '8', '9', 'a'};
  auto u16 = [&](int v) {
    b.push_back(std::uint8_t(v & 0xff));
    b.push_back(std::uint8_t(v >> 8));
  };
  u16(width);
  u16(height);
  b.insert(b.end(), {0x00, 0x00, 0x00});  // no global colour table
  for (int i = 0; i < frames; ++i) {
    b.push_back(0x2c);  // image descriptor
    u16(width - 1), u16(height - 1), u16(1), u16(1);
    b.push_back(0x80);  // a local colour table of 2 entries
    b.insert(b.end(), {0, 0, 0, 255, 255, 255});
    b.insert(b.end(), {0x02, 0x02, 0x44, 0x01, 0x00});  // clear, 0, end
  }
  b.push_back(0x3b);
  return b;
}

struct ShortSource {
  std::int64_t claimed = 10;  // what SEEK_END says: the buffer read_to_memory makes
  std::int64_t position = 0;
  std::int64_t largest_request = 0;
};

gint64 short_read(VipsSourceCustom *, void *buffer, gint64 length, ShortSource *s) {
  s->largest_request = std::max(s->largest_request, length);
  // Writes only what the claimed length leaves, so the unpatched library
  // fails this test on the request size instead of corrupting the heap.
  const gint64 n = std::min(length, s->claimed - s->position);
  std::memset(buffer, 'x', std::size_t(n));
  s->position += n;
  return n;
}

gint64 short_seek(VipsSourceCustom *, gint64 offset, int whence, ShortSource *s) {
  s->position = whence == SEEK_END ? s->claimed + offset : whence == SEEK_CUR ? s->position + offset : offset;
  return s->position;
}

}  // namespace

TEST_CASE("libvips 05: a GIF's height x frames over VIPS_MAX_COORD is refused, not given a stale height",
          "[libvips-patches]") {
  // 65535 x 1526 = 100,006,410 > VIPS_MAX_COORD (10^8) rows; 1525 frames fit.
  const auto over = gif_with_frames(1, 65535, 1526);
  CHECK_THROWS_AS(VImage::new_from_buffer(over.data(), over.size(), "", VImage::option()->set("n", -1)), VError);
  vips_error_clear();
  const auto fits = gif_with_frames(1, 65535, 1525);
  const VImage strip = VImage::new_from_buffer(fits.data(), fits.size(), "", VImage::option()->set("n", -1));
  CHECK(strip.height() == 65535 * 1525);
}

TEST_CASE("libvips 06: an image whose scanline is over INT_MAX bytes is refused when it is built",
          "[libvips-patches]") {
  // 10^7 x 214 bands = 2,140,000,000 bytes a line (under INT_MAX); 215 bands is over.
  CHECK_NOTHROW(VImage::black(10'000'000, 1, VImage::option()->set("bands", 214)));
  CHECK_THROWS_AS(VImage::black(10'000'000, 1, VImage::option()->set("bands", 215)), VError);
  vips_error_clear();
}

TEST_CASE("libvips 07: an exif-ifd index outside libexif's five IFDs is skipped when EXIF is written",
          "[libvips-patches]") {
  VImage image = VImage::black(8, 8).copy();
  image.set("exif-ifd0-Artist", "kept");
  image.set("exif-ifd9-Model", "out of range");   // ifd[9]: a segfault unpatched
  image.set("exif-ifd12-Make", "out of range");   // ifd[12]
  VipsBlob *saved = image.jpegsave_buffer(VImage::option()->set("keep", VIPS_FOREIGN_KEEP_ALL));
  const VImage back = VImage::jpegload_buffer(saved);
  CHECK(std::string(back.get_string("exif-ifd0-Artist")).rfind("kept", 0) == 0);
  CHECK(back.get_typeof("exif-ifd0-Make") == 0);
  CHECK(back.get_typeof("exif-ifd0-Model") == 0);
  vips_area_unref(VIPS_AREA(saved));
}

TEST_CASE("libvips 08: a seekable source read into memory is asked for no more than its buffer holds",
          "[libvips-patches]") {
  ShortSource state;
  VipsSourceCustom *custom = vips_source_custom_new();
  g_signal_connect(custom, "read", G_CALLBACK(short_read), &state);
  g_signal_connect(custom, "seek", G_CALLBACK(short_seek), &state);
  std::size_t length = 0;
  const void *data = vips_source_map(VIPS_SOURCE(custom), &length);
  CHECK(data != nullptr);
  CHECK(length == 10);
  CHECK(state.largest_request <= 10);  // 4096 unpatched
  g_object_unref(custom);
}

#include <spng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
  int w = 400, h = 250; size_t n = (size_t)w * h * 4;
  unsigned char *img = malloc(n);
  for (size_t i = 0; i < n; i++) img[i] = (unsigned char)((i * 7 + (i / 1600) * 3) ^ (i >> 5));
  spng_ctx *e = spng_ctx_new(SPNG_CTX_ENCODER);
  spng_set_option(e, SPNG_ENCODE_TO_BUFFER, 1);
  spng_set_option(e, SPNG_IMG_COMPRESSION_LEVEL, 6);
  struct spng_ihdr ih = { .width = w, .height = h, .bit_depth = 8, .color_type = SPNG_COLOR_TYPE_TRUECOLOR_ALPHA };
  spng_set_ihdr(e, &ih);
  int r = spng_encode_image(e, img, n, SPNG_FMT_PNG, SPNG_ENCODE_FINALIZE);
  size_t len; void *png = spng_get_png_buffer(e, &len, &r);
  printf("encode %d len %zu\n", r, len);
  spng_ctx *d = spng_ctx_new(0);
  spng_set_png_buffer(d, png, len);
  unsigned char *out = malloc(n);
  r = spng_decode_image(d, out, n, SPNG_FMT_RGBA8, 0);
  printf("decode %d same %d\n", r, memcmp(out, img, n) == 0);
  return 0;
}

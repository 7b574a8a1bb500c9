/* zlib's deflate API over libdeflate, for libspng's encoder only.
 *
 * libspng compresses IDAT (and zTXt/iCCP) through deflateInit2 / deflate /
 * deflateBound / deflateEnd; its recipe renames those calls (and only
 * those: inflate and crc32 stay zlib's) to the vips_edge_ names below with
 * -D flags. libdeflate compresses whole buffers, so input is gathered until
 * Z_FINISH, compressed once into a zlib stream, then handed out as the
 * caller's output buffers allow. The output is a standard zlib stream. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <libdeflate.h>

struct shim {
  unsigned char *in;    /* gathered input */
  size_t in_len, in_cap;
  unsigned char *out;   /* the compressed stream, once finished */
  size_t out_len, out_pos;
  int level, finished;
};

/* zlib's levels 1..9 map to libdeflate's 1..9 (0: libdeflate's 0, stored). */
static int libdeflate_level(int level) {
  if (level == Z_DEFAULT_COMPRESSION) return 6;
  if (level < 0) return 0;
  if (level > 12) return 12;
  return level;
}

int vips_edge_deflateInit2_(z_streamp strm, int level, int method, int window_bits,
                            int mem_level, int strategy, const char *version, int stream_size) {
  (void)method; (void)window_bits; (void)mem_level; (void)strategy; (void)version; (void)stream_size;
  struct shim *s = calloc(1, sizeof *s);
  if (!s) return Z_MEM_ERROR;
  s->level = libdeflate_level(level);
  strm->state = (struct internal_state *)s;
  strm->total_in = strm->total_out = 0;
  strm->msg = NULL;
  return Z_OK;
}

uLong vips_edge_deflateBound(z_streamp strm, uLong source_len) {
  (void)strm;
  /* libdeflate_zlib_compress_bound(NULL, n): the bound for any level. */
  return (uLong)libdeflate_zlib_compress_bound(NULL, source_len);
}

static int finish(struct shim *s) {
  struct libdeflate_compressor *c = libdeflate_alloc_compressor(s->level);
  if (!c) return Z_MEM_ERROR;
  size_t cap = libdeflate_zlib_compress_bound(c, s->in_len);
  s->out = malloc(cap ? cap : 1);
  if (!s->out) { libdeflate_free_compressor(c); return Z_MEM_ERROR; }
  s->out_len = libdeflate_zlib_compress(c, s->in, s->in_len, s->out, cap);
  libdeflate_free_compressor(c);
  free(s->in);
  s->in = NULL;
  s->in_len = s->in_cap = 0;
  if (!s->out_len) return Z_STREAM_ERROR;  /* cannot happen: cap is the bound */
  s->finished = 1;
  return Z_OK;
}

int vips_edge_deflate(z_streamp strm, int flush) {
  struct shim *s = (struct shim *)strm->state;
  if (!s) return Z_STREAM_ERROR;
  if (strm->avail_in) {
    if (s->finished) return Z_STREAM_ERROR;
    size_t need = s->in_len + strm->avail_in;
    if (need > s->in_cap) {
      size_t cap = s->in_cap ? s->in_cap : 65536;
      while (cap < need) cap *= 2;
      unsigned char *in = realloc(s->in, cap);
      if (!in) return Z_MEM_ERROR;
      s->in = in;
      s->in_cap = cap;
    }
    memcpy(s->in + s->in_len, strm->next_in, strm->avail_in);
    s->in_len = need;
    strm->total_in += strm->avail_in;
    strm->next_in += strm->avail_in;
    strm->avail_in = 0;
  }
  if (flush != Z_FINISH) return Z_OK;
  if (!s->finished) {
    int ret = finish(s);
    if (ret != Z_OK) return ret;
  }
  size_t n = s->out_len - s->out_pos;
  if (n > strm->avail_out) n = strm->avail_out;
  memcpy(strm->next_out, s->out + s->out_pos, n);
  s->out_pos += n;
  strm->next_out += n;
  strm->avail_out -= (uInt)n;
  strm->total_out += n;
  if (s->out_pos == s->out_len) return Z_STREAM_END;
  return n ? Z_OK : Z_BUF_ERROR;
}

int vips_edge_deflateEnd(z_streamp strm) {
  struct shim *s = (struct shim *)strm->state;
  if (!s) return Z_STREAM_ERROR;
  free(s->in);
  free(s->out);
  free(s);
  strm->state = NULL;
  return Z_OK;
}

// Hostile origin bodies shared by test_hostile_input.cpp and test_leaks.cpp,
// and a checker for what Handler::finish returns for them.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <glib.h>
#include <nlohmann/json.hpp>
#include <vips/vips8>
#include <zlib.h>

#include "handler/handler.hpp"
#include "util/base64.hpp"

namespace hostile {

using Bytes = std::vector<std::uint8_t>;

inline Bytes read_file(const std::filesystem::path &p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline Bytes fixture(const std::string &name) { return read_file(std::string(VIPS_EDGE_FIXTURES "/images/") + name); }

// fixtures/events/origin-request-custom.json with another querystring.
inline std::string event_with_query(const std::string &query) {
  std::ifstream in(VIPS_EDGE_FIXTURES "/events/origin-request-custom.json");
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto j = nlohmann::json::parse(text);
  j["Records"][0]["cf"]["request"]["querystring"] = query;
  return j.dump();
}

struct Case {
  std::string name;
  Bytes bytes;
};

// Each fixture cut at 1, 10, 50, 90, 99 % and minus its last byte.
inline std::vector<Case> truncated_fixtures() {
  std::vector<Case> out;
  for (const char *name : {"photo-baseline.jpg", "photo-progressive.jpg", "palette.png", "interlaced.png",
                           "photo.webp", "photo.gif", "animated-rgb.gif", "animated-rgba.webp"}) {
    Bytes full = fixture(name);
    for (int pct : {1, 10, 50, 90, 99}) {
      std::size_t n = full.size() * static_cast<std::size_t>(pct) / 100;
      out.push_back({std::string(name) + " cut at " + std::to_string(pct) + "%", Bytes(full.begin(), full.begin() + n)});
    }
    out.push_back({std::string(name) + " minus last byte", Bytes(full.begin(), full.end() - 1)});
  }
  return out;
}

// Random bytes behind each format's magic number.
inline std::vector<Case> random_behind_magic() {
  const std::vector<std::pair<std::string, std::string>> magics = {
      {"jpeg", std::string("\xFF\xD8\xFF", 3)},
      {"png", std::string("\x89PNG\r\n\x1A\n", 8)},
      {"webp", std::string("RIFF\x00\x10\x00\x00WEBPVP8 ", 16)},
      {"gif", "GIF89a"}};
  std::vector<Case> out;
  std::mt19937 rng(20240601);
  for (const auto &[name, magic] : magics)
    for (int i = 0; i < 3; ++i) {
      Bytes b(magic.begin(), magic.end());
      std::size_t n = 64u << (3 * i);  // 64, 512, 4096
      for (std::size_t k = 0; k < n; ++k) b.push_back(static_cast<std::uint8_t>(rng()));
      out.push_back({"random " + std::to_string(n) + " bytes behind " + name + " magic", std::move(b)});
    }
  return out;
}

inline Bytes html_error_page() {
  std::string s = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>"
                  "<p>The origin is down.</p></body></html>\n";
  return Bytes(s.begin(), s.end());
}

inline void png_chunk(Bytes &out, const char *type, const Bytes &data) {
  auto be32 = [&](std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(v >> s));
  };
  be32(static_cast<std::uint32_t>(data.size()));
  std::size_t crc_from = out.size();
  out.insert(out.end(), type, type + 4);
  out.insert(out.end(), data.begin(), data.end());
  be32(static_cast<std::uint32_t>(crc32(0, out.data() + crc_from, static_cast<uInt>(out.size() - crc_from))));
}

// A 1-bit palette PNG of side x side pixels, all zero: a decompression bomb
// (30000 -> ~100 KB compressed, 900 MP).
inline Bytes palette_png_bomb(std::uint32_t side = 30000) {
  Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  Bytes ihdr;
  for (std::uint32_t v : {side, side})
    for (int s = 24; s >= 0; s -= 8) ihdr.push_back(static_cast<std::uint8_t>(v >> s));
  ihdr.insert(ihdr.end(), {1, 3, 0, 0, 0});  // depth 1, palette, deflate, filter 0, no interlace
  png_chunk(png, "IHDR", ihdr);
  png_chunk(png, "PLTE", {0, 0, 0, 255, 255, 255});
  Bytes row((side + 7) / 8 + 1, 0), idat(1 << 16);
  Bytes compressed;
  z_stream z{};
  deflateInit(&z, 9);
  for (std::uint32_t y = 0; y <= side; ++y) {
    const bool last = y == side;
    z.next_in = last ? nullptr : row.data();
    z.avail_in = last ? 0 : static_cast<uInt>(row.size());
    do {
      z.next_out = idat.data();
      z.avail_out = static_cast<uInt>(idat.size());
      deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
      compressed.insert(compressed.end(), idat.data(), idat.data() + (idat.size() - z.avail_out));
    } while (z.avail_out == 0);
  }
  deflateEnd(&z);
  png_chunk(png, "IDAT", compressed);
  png_chunk(png, "IEND", {});
  return png;
}

// photo-baseline.jpg with its SOF claiming 65535 x 65535.
inline Bytes jpeg_claiming_65535() {
  Bytes b = fixture("photo-baseline.jpg");
  for (std::size_t i = 2; i + 9 < b.size(); ++i)
    if (b[i] == 0xFF && (b[i + 1] == 0xC0 || b[i + 1] == 0xC1 || b[i + 1] == 0xC2)) {
      for (std::size_t k = i + 5; k < i + 9; ++k) b[k] = 0xFF;  // height, width
      return b;
    }
  return b;
}

// What Handler::finish returned, checked against the rules every hostile
// input must obey; `problems` is empty when they hold.
struct Result {
  std::string action;      // respond | passthrough
  int status = 0;
  std::string code;        // error code for 4xx
  bool decoded = false;    // 200 whose body decodes
  std::string problems;
};

inline Result examine(const std::string &out) {
  Result r;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(out);
  } catch (const std::exception &e) {
    r.problems = std::string("result is not JSON: ") + e.what();
    return r;
  }
  r.action = j.value("action", "");
  if (r.action == "passthrough") return r;  // oversize "original" policy: still a valid outcome
  if (r.action != "respond") {
    r.problems = "unexpected action " + r.action;
    return r;
  }
  const auto &resp = j["response"];
  r.status = std::stoi(resp.value("status", "0"));
  if (r.status == 200) {
    std::size_t size = resp.value("status", "").size() + resp.value("statusDescription", "").size();
    const std::string body = resp.value("body", "");
    size += body.size();
    for (const auto &[name, values] : resp["headers"].items())
      for (const auto &v : values) size += name.size() + 2 + v.value("value", "").size() + 2;
    if (size > 1048576) r.problems += "200 response of " + std::to_string(size) + " bytes; ";
    if (resp.value("bodyEncoding", "") != "base64") r.problems += "200 without base64 body; ";
    Bytes image = vips_edge::base64_decode(body);
    try {
      vips::VImage decoded = vips::VImage::new_from_buffer(image.data(), image.size(), "");
      r.decoded = decoded.width() > 0 && decoded.height() > 0 && decoded.avg() >= 0;
    } catch (const vips::VError &e) {
      vips_error_clear();
      r.problems += std::string("200 body does not decode: ") + e.what();
    }
  } else if (r.status >= 400 && r.status < 500) {
    try {
      auto body = nlohmann::json::parse(resp.value("body", ""));
      r.code = body["error"]["code"].get<std::string>();
      if (body["error"]["status"] != r.status) r.problems += "error body status differs; ";
    } catch (const std::exception &e) {
      r.problems += std::string("4xx body is not the JSON error: ") + e.what();
    }
  } else {
    r.problems = "status " + std::to_string(r.status) + ": " + out.substr(0, 600);
  }
  return r;
}

inline const std::string &image_outcome_json() {
  static const std::string s = R"({"status":200,"headers":{"content-type":"image/jpeg"}})";
  return s;
}

}  // namespace hostile

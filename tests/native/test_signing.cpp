// HMAC-SHA256 (RFC 4231), base64url, the string to sign and verification.
#include <catch2/catch.hpp>

#include <cstdio>

#include "api/api_error.hpp"
#include "api/signing.hpp"

using namespace vips_edge;

namespace {

std::string hex(const std::array<std::uint8_t, 32> &d) {
  std::string out;
  char buf[3];
  for (auto b : d) {
    std::snprintf(buf, sizeof buf, "%02x", b);
    out += buf;
  }
  return out;
}

std::string bytes(std::initializer_list<int> list) {
  std::string s;
  for (int b : list) s += static_cast<char>(b);
  return s;
}

Config signed_config(bool required) {
  Config c;
  c.signing = SigningConfig{{{"default", "secret"}}, required};
  return c;
}

int status_of(std::string_view uri, std::string_view qs, const Config &c) {
  try {
    verify_signature(uri, qs, c);
  } catch (const ApiError &e) {
    if (e.status == 403) CHECK(e.code == "invalid_signature");
    return e.status;
  }
  return 0;
}

}  // namespace

TEST_CASE("HMAC-SHA256 RFC 4231 test cases 1-4, 6, 7", "[signing]") {
  // 1
  CHECK(hex(hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // 2
  CHECK(hex(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // 3
  CHECK(hex(hmac_sha256(std::string(20, '\xaa'), std::string(50, '\xdd'))) ==
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  // 4
  std::string key4 = bytes({0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d,
                            0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19});
  CHECK(hex(hmac_sha256(key4, std::string(50, '\xcd'))) ==
        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  // 6
  CHECK(hex(hmac_sha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")) ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  // 7
  CHECK(hex(hmac_sha256(std::string(131, '\xaa'),
                        "This is a test using a larger than block-size key and a larger than block-size data. "
                        "The key needs to be hashed before being used by the HMAC algorithm.")) ==
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST_CASE("HMAC-SHA256 with empty key and data", "[signing]") {
  // Python: hmac.new(b"", b"", hashlib.sha256).hexdigest()
  CHECK(hex(hmac_sha256("", "")) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST_CASE("base64url unpadded", "[signing]") {
  auto enc = [](std::string s) {
    return base64url_encode({reinterpret_cast<const std::uint8_t *>(s.data()), s.size()});
  };
  CHECK(enc("") == "");
  CHECK(enc("f") == "Zg");
  CHECK(enc("fo") == "Zm8");
  CHECK(enc("foo") == "Zm9v");
  CHECK(enc("\xfb\xff\xbf") == "-_-_");  // '+' and '/' in standard base64
}

TEST_CASE("constant_time_equal", "[signing]") {
  CHECK(constant_time_equal("abc", "abc"));
  CHECK(constant_time_equal("", ""));
  CHECK_FALSE(constant_time_equal("abc", "abd"));
  CHECK_FALSE(constant_time_equal("abc", "ab"));
  CHECK_FALSE(constant_time_equal("xbc", "abc"));
}

TEST_CASE("string to sign: the uri and the canonical query without sig", "[signing]") {
  CHECK(string_to_sign("/photos/cat.jpg", collect_params("w=400&format=auto&utm=x")) ==
        "/photos/cat.jpg?w=400&format=auto");
  CHECK(string_to_sign("/photos/my%20cat.jpg",
                       collect_params("width=%34%30%30&sig=zzz&h=300&fit=contain&bg=fff&ref=a")) ==
        "/photos/my%20cat.jpg?w=400&h=300&fit=contain&bg=ffffff");
  // Defaults dropped, canonical spellings: the form the CloudFront Function forwards.
  CHECK(string_to_sign("/photos/cat.jpg", collect_params("width=400&format=auto&utm=x&dpr=1.0")) ==
        "/photos/cat.jpg?w=400&format=auto");
  CHECK(string_to_sign("/a.png", collect_params("rect=1,2,3,4&fp=0.50,0.5&w=1&h=1")) ==
        "/a.png?w=1&h=1&fp=0.5,0.5&rect=1,2,3,4");
  CHECK(string_to_sign("/a.png", collect_params("")) == "/a.png?");
}

TEST_CASE("signature test vectors (cross-checked with Python hmac)", "[signing]") {
  // python3: hmac.new(b"secret", b"/photos/cat.jpg?w=400&format=auto", "sha256")
  CHECK(compute_signature("secret", "/photos/cat.jpg", "w=400&format=auto&utm=x") ==
        "ZE41MivAywZDG7ymfi_K7Dq_ZL26MxWhD_Ii5DnOwKw");
  CHECK(compute_signature("secret", "/photos/my%20cat.jpg", "width=400&h=300&fit=contain&bg=fff") ==
        "QUTS_siH6oVLUL9upLxthD3cvs5kM-5q_XNBMhBxHck");
  // Any spelling of the same request: same signature.
  for (const char *q : {"format=auto&w=%34%30%30", "fm=auto&width=400&dpr=1", "w=400&format=auto&enlarge=0&pos=center"}) {
    INFO(q);
    CHECK(compute_signature("secret", "/photos/cat.jpg", q) == "ZE41MivAywZDG7ymfi_K7Dq_ZL26MxWhD_Ii5DnOwKw");
  }
}

TEST_CASE("verify_signature status mapping", "[signing]") {
  const std::string good = "ZE41MivAywZDG7ymfi_K7Dq_ZL26MxWhD_Ii5DnOwKw";
  const std::string uri = "/photos/cat.jpg";
  Config required = signed_config(true);
  Config optional = signed_config(false);

  // Signing not configured: sig is ignored entirely.
  CHECK(status_of(uri, "w=400&sig=garbage", Config{}) == 0);

  CHECK(status_of(uri, "w=400&format=auto&sig=" + good, required) == 0);
  CHECK(status_of(uri, "sig=" + good + "&utm=x&format=auto&w=400", required) == 0);
  CHECK(status_of(uri, "w=400&format=auto", required) == 403);                   // missing
  CHECK(status_of(uri, "w=401&format=auto&sig=" + good, required) == 403);       // tampered value
  CHECK(status_of(uri, "w=400&format=auto&q=90&sig=" + good, required) == 403);  // added param
  CHECK(status_of("/photos/dog.jpg", "w=400&format=auto&sig=" + good, required) == 403);
  CHECK(status_of(uri, "w=400&format=auto&sig=" + good + "=", required) == 403);  // padded
  CHECK(status_of(uri, "w=400&format=auto&sig=" + good.substr(1), required) == 403);
  CHECK(status_of(uri, "width=400&fm=auto&dpr=1&sig=" + good, required) == 0);  // same canonical query
  CHECK(status_of(uri, "w=400&format=auto&dpr=2&sig=" + good, required) == 403);  // not a default

  // Not required: unsigned is fine, but a present sig must still be right.
  CHECK(status_of(uri, "w=400&format=auto", optional) == 0);
  CHECK(status_of(uri, "w=400&format=auto&sig=" + good, optional) == 0);
  CHECK(status_of(uri, "w=400&format=auto&sig=wrong", optional) == 403);

  // Passthrough (no transform parameter) needs no signature.
  CHECK(status_of(uri, "", required) == 0);
  CHECK(status_of(uri, "utm=1", required) == 0);
  CHECK(status_of(uri, "sig=whatever", required) == 0);

  // Malformed query: the same 400 as parse_spec.
  CHECK(status_of(uri, "w=1&w=2&sig=" + good, required) == 400);
  CHECK(status_of(uri, "w=400&sig=", required) == 400);

  try {
    verify_signature(uri, "w=400", required);
  } catch (const ApiError &e) {
    CHECK(e.code == "invalid_signature");
    CHECK_FALSE(e.param);
    CHECK(std::string(e.what()) == "sig: missing; this URL must be signed");
  }
}

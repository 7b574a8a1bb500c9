// Every row of the URL API table, every 400, defaults and derived fields.
#include <catch2/catch.hpp>

#include "api/accept.hpp"
#include "api/api_error.hpp"
#include "api/parse_spec.hpp"
#include "image/formats.hpp"
#include "support/spec_text.hpp"

using namespace vips_edge;

namespace {

cf::Headers accept_header(const std::string &value) {
  cf::Headers h;
  h.entries["accept"] = {cf::HeaderValue{"Accept", value, cf::json::object()}};
  return h;
}

TransformSpec parse(std::string_view qs, const Config &config = {}, const cf::Headers &headers = {}) {
  auto spec = parse_spec(qs, headers, config);
  REQUIRE(spec.has_value());
  return *spec;
}

// The ApiError for `qs`, which must be a 400 invalid_parameter.
std::string error_param(std::string_view qs, const Config &config = {}) {
  try {
    parse_spec(qs, {}, config);
  } catch (const ApiError &e) {
    CHECK(e.status == 400);
    CHECK(e.code == "invalid_parameter");
    return e.param.value_or("<none>");
  }
  return "<no error>";
}

}  // namespace

TEST_CASE("no transform parameter means passthrough", "[parse_spec]") {
  CHECK_FALSE(parse_spec("", {}, {}));
  CHECK_FALSE(parse_spec("utm_source=x&v=3", {}, {}));
  CHECK_FALSE(parse_spec("sig=abc", {}, {}));
  CHECK_FALSE(parse_spec("W=400", {}, {}));  // names are case-sensitive
}

TEST_CASE("w / width and h / height", "[parse_spec]") {
  auto s = parse("w=400");
  CHECK(s.width == 400);
  CHECK_FALSE(s.height);
  CHECK(s.target_width == 400);
  CHECK_FALSE(s.target_height);
  CHECK(parse("width=320").width == 320);
  CHECK(parse("h=300").height == 300);
  CHECK(parse("height=20").height == 20);
  CHECK(parse("w=1").width == 1);
  CHECK(parse("w=4096").width == 4096);
  CHECK(parse("h=4096").height == 4096);
  CHECK(parse("w=%34%30%30").width == 400);

  for (const char *bad : {"w=0", "w=4097", "w=-5", "w=+5", "w=05", "w=00", "w=1e3", "w=0x10", "w=4.0",
                          "w=%204", "w=4%20", "w=NaN", "w=Infinity", "w=abc", "w=1234567890123",
                          "w=99999999999999999999", "w=1,5", "w=%EF%BC%95" /* fullwidth 5 */}) {
    INFO(bad);
    CHECK(error_param(bad) == "w");
  }
  CHECK(error_param("width=0") == "width");
  CHECK(error_param("h=0") == "h");
  CHECK(error_param("h=4097") == "h");
  CHECK(error_param("height=x") == "height");

  Config c;
  c.max_width = 1000;
  c.max_height = 500;
  CHECK(parse("w=1000", c).width == 1000);
  CHECK(error_param("w=1001", c) == "w");
  CHECK(error_param("h=501", c) == "h");
}

TEST_CASE("400 message says what was expected", "[parse_spec]") {
  try {
    parse_spec("w=5000", {}, {});
    FAIL("no throw");
  } catch (const ApiError &e) {
    CHECK(std::string(e.what()) == "w=5000: expected an integer 1..4096");
  }
  try {
    parse_spec("w=05", {}, {});
    FAIL("no throw");
  } catch (const ApiError &e) {
    CHECK(std::string(e.what()) == "w=05: expected an integer 1..4096 written as plain decimal digits");
  }
}

TEST_CASE("allowedWidths / allowedHeights", "[parse_spec]") {
  Config c;
  c.allowed_widths = std::vector<int>{100, 200, 400};
  c.allowed_heights = std::vector<int>{300};
  CHECK(parse("w=200", c).width == 200);
  CHECK(parse("h=300", c).height == 300);
  CHECK(error_param("w=300", c) == "w");
  CHECK(error_param("width=300", c) == "width");
  CHECK(error_param("h=200", c) == "h");
  try {
    parse_spec("w=300", {}, c);
  } catch (const ApiError &e) {
    CHECK(std::string(e.what()) == "w=300: not an allowed width (allowed: 100, 200, 400)");
  }
}

TEST_CASE("dpr", "[parse_spec]") {
  CHECK(parse("w=100").dpr == 1.0);
  CHECK(parse("w=100&dpr=1").dpr == 1.0);
  CHECK(parse("w=100&dpr=1.5").dpr == 1.5);
  CHECK(parse("w=100&dpr=2.0").dpr == 2.0);
  CHECK(parse("w=100&dpr=4").dpr == 4.0);
  CHECK(parse("w=100&dpr=2.625").dpr == 2.625);
  CHECK(parse("w=100&dpr=1.1").dpr == 1.1);
  CHECK(parse("w=100&dpr=1.000000000001").dpr == 1.000000000001);
  CHECK(parse("dpr=2").dpr == 2.0);  // dpr alone is a transform request

  for (const char *bad : {"dpr=0.5", "dpr=0", "dpr=4.01", "dpr=5", "dpr=1.", "dpr=.5", "dpr=1e0", "dpr=+1",
                          "dpr=-1", "dpr=NaN", "dpr=nan", "dpr=Infinity", "dpr=inf", "dpr=01.5", "dpr=1,5",
                          "dpr=1.5.1", "dpr=0x2", "dpr=1.0000000000000001", "dpr=%201"}) {
    INFO(bad);
    CHECK(error_param(bad) == "dpr");
  }
}

TEST_CASE("target size = round(w*dpr), capped keeping aspect", "[parse_spec]") {
  auto s = parse("w=400&h=300&dpr=2");
  CHECK(s.target_width == 800);
  CHECK(s.target_height == 600);
  s = parse("w=333&dpr=1.5");  // 499.5 rounds half away from zero
  CHECK(s.target_width == 500);
  s = parse("w=101&dpr=1.1");  // 111.1
  CHECK(s.target_width == 111);
  s = parse("w=4096&dpr=2");
  CHECK(s.width == 4096);
  CHECK(s.target_width == 4096);
  s = parse("w=3000&h=1000&dpr=2");  // 6000x2000 -> factor 4096/6000
  CHECK(s.target_width == 4096);
  CHECK(s.target_height == 1365);
  s = parse("w=1000&h=3000&dpr=2");
  CHECK(s.target_width == 1365);
  CHECK(s.target_height == 4096);
  s = parse("h=3000&dpr=3");
  CHECK_FALSE(s.target_width);
  CHECK(s.target_height == 4096);
  s = parse("fm=webp");
  CHECK_FALSE(s.target_width);
  CHECK_FALSE(s.target_height);
}

TEST_CASE("fit and its default", "[parse_spec]") {
  CHECK(parse("w=1&h=1").fit == Fit::Cover);
  CHECK(parse("w=1").fit == Fit::Inside);
  CHECK(parse("h=1").fit == Fit::Inside);
  CHECK(parse("fm=png").fit == Fit::Inside);
  CHECK(parse("w=1&h=1&fit=cover").fit == Fit::Cover);
  CHECK(parse("w=1&h=1&fit=contain").fit == Fit::Contain);
  CHECK(parse("w=1&h=1&fit=fill").fit == Fit::Fill);
  CHECK(parse("w=1&h=1&fit=inside").fit == Fit::Inside);
  CHECK(parse("w=1&h=1&fit=outside").fit == Fit::Outside);
  CHECK(parse("w=1&fit=cover").fit == Fit::Cover);
  CHECK(error_param("fit=crop") == "fit");
  CHECK(error_param("fit=Cover") == "fit");
  CHECK(error_param("fit=cover%20") == "fit");
}

TEST_CASE("pos / gravity", "[parse_spec]") {
  CHECK(parse("w=1").gravity == Gravity::Center);
  const std::pair<const char *, Gravity> all[] = {
      {"center", Gravity::Center},       {"north", Gravity::North},         {"northeast", Gravity::NorthEast},
      {"east", Gravity::East},           {"southeast", Gravity::SouthEast}, {"south", Gravity::South},
      {"southwest", Gravity::SouthWest}, {"west", Gravity::West},           {"northwest", Gravity::NorthWest},
      {"entropy", Gravity::Entropy},     {"attention", Gravity::Attention}};
  for (auto [name, g] : all) {
    INFO(name);
    CHECK(parse(std::string("w=1&pos=") + name).gravity == g);
    CHECK(parse(std::string("w=1&gravity=") + name).gravity == g);
    CHECK(std::string(to_string(g)) == name);
  }
  CHECK(error_param("pos=top") == "pos");
  CHECK(error_param("gravity=smart") == "gravity");
  CHECK(error_param("pos=North") == "pos");
}

TEST_CASE("enlarge", "[parse_spec]") {
  CHECK(parse("w=1").enlarge == false);
  CHECK(parse("w=1&enlarge=0").enlarge == false);
  CHECK(parse("w=1&enlarge=1").enlarge == true);
  CHECK(error_param("enlarge=true") == "enlarge");
  CHECK(error_param("enlarge=2") == "enlarge");
  CHECK(error_param("enlarge=01") == "enlarge");
}

TEST_CASE("format / fm", "[parse_spec]") {
  CHECK(parse("w=1").format == RequestedFormat::Source);
  CHECK(parse("format=jpeg").format == RequestedFormat::Jpeg);
  CHECK(parse("format=jpg").format == RequestedFormat::Jpeg);
  CHECK(parse("fm=png").format == RequestedFormat::Png);
  CHECK(parse("fm=webp").format == RequestedFormat::Webp);
  CHECK(parse("format=auto").format == RequestedFormat::Auto);
  CHECK(parse("fm=avif").format == RequestedFormat::Avif);
  CHECK(error_param("format=gif") == "format");
  CHECK(error_param("fm=heic") == "fm");
  CHECK(error_param("fm=JPEG") == "fm");
}

TEST_CASE("q / quality", "[parse_spec]") {
  CHECK_FALSE(parse("w=1").quality);
  CHECK(parse("q=1").quality == 1);
  CHECK(parse("q=100").quality == 100);
  CHECK(parse("quality=75").quality == 75);
  for (const char *bad : {"q=0", "q=101", "q=50.5", "q=-1", "q=080", "q=high"}) {
    INFO(bad);
    CHECK(error_param(bad) == "q");
  }
  CHECK(error_param("quality=0") == "quality");
}

TEST_CASE("bg", "[parse_spec]") {
  CHECK_FALSE(parse("w=1").background);
  CHECK(parse("bg=ff0000").background == Rgb{255, 0, 0});
  CHECK(parse("bg=00FF80").background == Rgb{0, 255, 128});
  CHECK(parse("bg=f0a").background == Rgb{255, 0, 170});
  CHECK(parse("bg=000").background == Rgb{0, 0, 0});
  for (const char *bad : {"bg=%23fff", "bg=ffff", "bg=fffffff", "bg=ggg", "bg=red", "bg=ff", "bg=12345"}) {
    INFO(bad);
    CHECK(error_param(bad) == "bg");
  }
}

TEST_CASE("repeated and empty parameters are 400", "[parse_spec]") {
  CHECK(error_param("w=1&w=1") == "w");
  CHECK(error_param("w=1&width=1") == "width");
  CHECK(error_param("width=1&w=1") == "w");
  CHECK(error_param("fm=png&format=png") == "format");
  CHECK(error_param("dpr=1&dpr=2") == "dpr");
  CHECK(error_param("fit=cover&fit=fill") == "fit");
  CHECK(error_param("enlarge=1&enlarge=1") == "enlarge");
  CHECK(error_param("bg=fff&bg=fff") == "bg");
  for (const char *p : {"w", "h", "dpr", "fit", "pos", "enlarge", "format", "q", "bg", "width", "quality"}) {
    INFO(p);
    CHECK(error_param(std::string(p) + "=") == p);
    CHECK(error_param(std::string("w=1&") + p + "=") == p);
  }
  CHECK(error_param("w=1&sig=") == "sig");
}

TEST_CASE("unknown parameters are ignored; ';' is not a separator", "[parse_spec]") {
  auto s = parse("w=400&utm_source=x&foo=%zz&v=%00");
  CHECK(s.width == 400);
  CHECK(error_param("w=400;h=300") == "w");
}

TEST_CASE("accepts_webp from the Accept header", "[parse_spec]") {
  CHECK_FALSE(parse("format=auto").accepts_webp);
  CHECK(parse("format=auto", {}, accept_header("image/avif,image/webp,*/*")).accepts_webp);
  CHECK_FALSE(parse("format=auto", {}, accept_header("image/png,*/*")).accepts_webp);
  cf::Headers two;  // several Accept lines are one list
  two.entries["accept"] = {cf::HeaderValue{"Accept", "text/html", cf::json::object()},
                           cf::HeaderValue{"Accept", "image/webp", cf::json::object()}};
  CHECK(parse("format=auto", {}, two).accepts_webp);
}

TEST_CASE("canonical string and names", "[parse_spec]") {
  CHECK(test::spec_text(parse("w=400&h=300&fm=webp&q=75")) ==
        "w=400&h=300&dpr=1&fit=cover&pos=center&enlarge=0&fm=webp&q=75");
  CHECK(test::spec_text(parse("width=400&dpr=1.5&pos=attention&enlarge=1&bg=F00&format=auto",
              {}, accept_header("image/webp"))) ==
        "w=400&dpr=1.5&fit=inside&pos=attention&enlarge=1&fm=auto&bg=ff0000&webp=1");
  CHECK(test::spec_text(parse("fm=auto")) == "dpr=1&fit=inside&pos=center&enlarge=0&fm=auto&webp=0");
  CHECK(test::spec_text(parse("h=10&dpr=2.625")) == "h=10&dpr=2.625&fit=inside&pos=center&enlarge=0&fm=source");
  // dpr is written as the shortest decimal that parses back to the same value.
  CHECK(test::spec_text(parse("dpr=2.0")).starts_with("dpr=2&"));
  CHECK(test::spec_text(parse("dpr=1.1")).starts_with("dpr=1.1&"));
  CHECK(test::spec_text(parse("dpr=3.14159")).starts_with("dpr=3.14159&"));
  CHECK(test::spec_text(parse("dpr=1.000000000001")).starts_with("dpr=1.000000000001&"));
  CHECK(test::spec_text(parse("dpr=1.00000000000001")).starts_with("dpr=1.00000000000001&"));
  CHECK(test::spec_text(parse("dpr=1.50000000000000")).starts_with("dpr=1.5&"));
  TransformSpec third;
  third.dpr = 4.0 / 3.0;
  CHECK(test::spec_text(third).starts_with("dpr=1.333333333333333&"));
  // Spellings of the same request share one canonical form.
  CHECK(test::spec_text(parse("w=400&fm=jpg")) == test::spec_text(parse("width=%34%30%30&format=jpeg")));

  CHECK(std::string(to_string(Fit::Cover)) == "cover");
  CHECK(std::string(to_string(Fit::Contain)) == "contain");
  CHECK(std::string(to_string(Fit::Fill)) == "fill");
  CHECK(std::string(to_string(Fit::Inside)) == "inside");
  CHECK(std::string(to_string(Fit::Outside)) == "outside");
  CHECK(std::string(to_string(RequestedFormat::Source)) == "source");
  CHECK(std::string(to_string(RequestedFormat::Jpeg)) == "jpeg");
  CHECK(std::string(to_string(RequestedFormat::Png)) == "png");
  CHECK(std::string(to_string(RequestedFormat::Webp)) == "webp");
  CHECK(std::string(to_string(RequestedFormat::Auto)) == "auto");
  CHECK(std::string(mime_type(ImageFormat::Jpeg)) == "image/jpeg");
  CHECK(std::string(mime_type(ImageFormat::Png)) == "image/png");
  CHECK(std::string(mime_type(ImageFormat::Webp)) == "image/webp");
  CHECK(std::string(mime_type(ImageFormat::Gif)) == "image/gif");
}

TEST_CASE("full example spec", "[parse_spec]") {
  TransformSpec expected;
  expected.width = 400;
  expected.height = 300;
  expected.dpr = 2;
  expected.fit = Fit::Contain;
  expected.gravity = Gravity::North;
  expected.enlarge = true;
  expected.format = RequestedFormat::Auto;
  expected.quality = 60;
  expected.background = Rgb{0x12, 0x34, 0x56};
  expected.accepts_webp = true;
  expected.target_width = 800;
  expected.target_height = 600;
  CHECK(parse("w=400&h=300&dpr=2&fit=contain&pos=north&enlarge=1&fm=auto&q=60&bg=123456&sig=x&other=1",
              {}, accept_header("image/webp,*/*")) == expected);
}

// ------------------------------------------------------------- URL API v2 ---

TEST_CASE("rot / rotate", "[parse_spec][v2]") {
  CHECK(parse("w=1").rotate == 0);
  CHECK(parse("rot=90").rotate == 90);
  CHECK(parse("rotate=180").rotate == 180);
  CHECK(parse("rot=270").rotate == 270);
  for (const char *bad : {"rot=0", "rot=45", "rot=-90", "rot=360", "rot=90.0", "rot=090"}) {
    INFO(bad);
    CHECK(error_param(bad) == "rot");
  }
  CHECK(error_param("rotate=1") == "rotate");
  CHECK(error_param("rot=90&rotate=90") == "rotate");
}

TEST_CASE("flip", "[parse_spec][v2]") {
  auto s = parse("flip=h");
  CHECK((s.flip_h && !s.flip_v));
  s = parse("flip=v");
  CHECK((!s.flip_h && s.flip_v));
  s = parse("flip=hv");
  CHECK((s.flip_h && s.flip_v));
  for (const char *bad : {"flip=vh", "flip=H", "flip=x", "flip=both"}) {
    INFO(bad);
    CHECK(error_param(bad) == "flip");
  }
}

TEST_CASE("rect", "[parse_spec][v2]") {
  CHECK(parse("rect=0,0,10,20").rect == Rect{0, 0, 10, 20});
  CHECK(parse("rect=100,50,400,300&w=100").rect == Rect{100, 50, 400, 300});
  CHECK(parse("rect=1%2C2%2C3%2C4").rect == Rect{1, 2, 3, 4});
  for (const char *bad : {"rect=0,0,0,10", "rect=0,0,10,0", "rect=0,0,10", "rect=0,0,10,10,10", "rect=-1,0,10,10",
                          "rect=0,0,1e3,10", "rect=0,0,10,10,", "rect=a,b,c,d", "rect=01,0,1,1", "rect= 0,0,1,1",
                          "rect=10000001,0,1,1", "rect=0;0;1;1"}) {
    INFO(bad);
    CHECK(error_param(bad) == "rect");
  }
  try {
    parse_spec("rect=0,0,0,10", {}, {});
  } catch (const ApiError &e) {
    CHECK(std::string(e.what()) == "rect=0,0,0,10: an empty rectangle (w and h must be at least 1)");
  }
}

TEST_CASE("fp: only with fit=cover and both sides, never with pos", "[parse_spec][v2]") {
  auto s = parse("w=10&h=20&fp=0.25,0.75");
  REQUIRE(s.focal);
  CHECK(s.focal->x == 0.25);
  CHECK(s.focal->y == 0.75);
  CHECK(parse("w=10&h=20&fit=cover&fp=0,1").focal == Point{0, 1});
  CHECK(error_param("w=10&fp=0.5,0.5") == "fp");                      // one side only
  CHECK(error_param("w=10&h=10&fit=contain&fp=0.5,0.5") == "fp");     // not cover
  CHECK(error_param("w=10&h=10&fp=0.5,0.5&pos=north") == "fp");       // with pos
  CHECK(error_param("w=10&h=10&gravity=center&fp=0.5,0.5") == "fp");  // even the default
  for (const char *bad : {"fp=0.5", "fp=1.5,0", "fp=-0.1,0", "fp=.5,.5", "fp=0.5,0.5,0.5", "fp=0.5, 0.5", "fp=,"}) {
    INFO(bad);
    CHECK(error_param(std::string("w=10&h=10&") + bad) == "fp");
  }
}

TEST_CASE("trim, blur, sharpen", "[parse_spec][v2]") {
  CHECK(parse("trim=1").trim == 1);
  CHECK(parse("trim=100").trim == 100);
  CHECK(parse("blur=0.3").blur == 0.3);
  CHECK(parse("blur=100").blur == 100.0);
  CHECK(parse("sharpen=0.3").sharpen == 0.3);
  CHECK(parse("sharpen=10").sharpen == 10.0);
  for (const char *bad : {"trim=0", "trim=101", "trim=1.5"}) CHECK(error_param(bad) == "trim");
  for (const char *bad : {"blur=0.29", "blur=0", "blur=100.01", "blur=1e1", "blur=NaN"}) CHECK(error_param(bad) == "blur");
  for (const char *bad : {"sharpen=0.2", "sharpen=10.5", "sharpen=-1"}) CHECK(error_param(bad) == "sharpen");
}

TEST_CASE("format=json", "[parse_spec][v2]") {
  CHECK(parse("format=json").format == RequestedFormat::Json);
  CHECK(parse("fm=json&w=10").format == RequestedFormat::Json);
  CHECK(error_param("format=JSON") == "format");
}

TEST_CASE("parse_spec from collected parameters equals the string form", "[parse_spec][v2]") {
  for (const char *q : {"w=10&h=20&fp=0.5,0.5&rot=90&flip=h", "rect=1,2,3,4&trim=5&blur=2&sharpen=1&fm=json", ""}) {
    INFO(q);
    CHECK(parse_spec(collect_params(q), {}, {}) == parse_spec(q, {}, {}));
  }
}

TEST_CASE("canonical string of the v2 operations", "[parse_spec][v2]") {
  CHECK(test::spec_text(parse("w=10&h=20&rect=1,2,3,4&trim=5&rot=90&flip=hv&fp=0.5,0.25&blur=2.50&sharpen=1")) ==
        "w=10&h=20&dpr=1&fit=cover&pos=center&enlarge=0&fm=source&rect=1,2,3,4&trim=5&rot=90&flip=hv&fp=0.5,0.25"
        "&blur=2.5&sharpen=1");
}

// png_probe: checks a GUI screenshot by its pixels, using the --state-out
// report of the same run to know where the widgets were and which colours the
// theme paints the backdrop and the text with.
//
//   png_probe SHOT.png STATE.json [--size WxH] [--ink ANCHOR=MIN_PIXELS]...
//             [--covered ANCHOR=MIN_FRACTION]... [--backdrop X,Y,W,H=MIN_FRACTION]...
//
//   --size      the image is exactly W x H pixels
//   --ink       at least MIN_PIXELS pixels inside the anchor are text-coloured ("ink")
//   --covered   at least MIN_FRACTION of the anchor's pixels are not the backdrop colour
//   --backdrop  at least MIN_FRACTION of the rectangle is the backdrop colour
//
// A blank frame (everything the GL clear colour: the symptom of a wrong GLSL
// version) fails --covered and --ink; a frame upside down fails them for the
// menu bar. Prints one line per check; exit 0 when all pass, 1 otherwise,
// 2 for bad arguments or unreadable input.
#include <stb_image.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace {

struct Rgb {
  int r = 0, g = 0, b = 0;
};

struct Box {
  int x = 0, y = 0, w = 0, h = 0;
};

struct Image {
  int width = 0;
  int height = 0;
  std::unique_ptr<unsigned char, void (*)(void*)> pixels{nullptr, stbi_image_free};

  Rgb at(int x, int y) const {
    const unsigned char* p = pixels.get() + (static_cast<size_t>(y) * width + x) * 3;
    return {p[0], p[1], p[2]};
  }
};

Rgb parse_hex(const std::string& s) {
  unsigned r = 0, g = 0, b = 0;
  if (s.size() != 7 || s[0] != '#' || std::sscanf(s.c_str() + 1, "%2x%2x%2x", &r, &g, &b) != 3) {
    std::fprintf(stderr, "png_probe: colour \"%s\" is not #rrggbb\n", s.c_str());
    std::exit(2);
  }
  return {static_cast<int>(r), static_cast<int>(g), static_cast<int>(b)};
}

int bad_argument(const char* option, const std::string& arg) {
  std::fprintf(stderr, "png_probe: bad %s \"%s\"\n", option, arg.c_str());
  return 2;
}

int distance(Rgb a, Rgb b) {
  return std::abs(a.r - b.r) + std::abs(a.g - b.g) + std::abs(a.b - b.b);
}

// Counts pixels of `box` (clipped to the image) for which `pred` holds; `total` gets the size.
template <typename Pred>
long count(const Image& img, Box box, long& total, Pred pred) {
  int x0 = std::max(0, box.x), y0 = std::max(0, box.y);
  int x1 = std::min(img.width, box.x + box.w), y1 = std::min(img.height, box.y + box.h);
  long n = 0;
  total = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      ++total;
      if (pred(img.at(x, y))) ++n;
    }
  }
  return n;
}

// "NAME=VALUE" -> NAME, VALUE
bool split_eq(const std::string& arg, std::string& name, double& value) {
  size_t eq = arg.rfind('=');
  if (eq == std::string::npos) return false;
  name = arg.substr(0, eq);
  char* end = nullptr;
  value = std::strtod(arg.c_str() + eq + 1, &end);
  return end != nullptr && *end == '\0' && !name.empty();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Check a WarungMQ screenshot by its pixels"};
  std::string image_path, state_path, size;
  std::vector<std::string> ink_checks, covered_checks, backdrop_checks;
  cli.add_option("image", image_path, "PNG screenshot")->required();
  cli.add_option("state", state_path, "--state-out JSON of the same run")->required();
  cli.add_option("--size", size, "expected size, WxH");
  cli.add_option("--ink", ink_checks, "ANCHOR=MIN_PIXELS");
  cli.add_option("--covered", covered_checks, "ANCHOR=MIN_FRACTION");
  cli.add_option("--backdrop", backdrop_checks, "X,Y,W,H=MIN_FRACTION");
  CLI11_PARSE(cli, argc, argv);

  Image img;
  int channels = 0;
  img.pixels.reset(stbi_load(image_path.c_str(), &img.width, &img.height, &channels, 3));
  if (!img.pixels) {
    std::fprintf(stderr, "png_probe: cannot read \"%s\": %s\n", image_path.c_str(),
                 stbi_failure_reason());
    return 2;
  }
  std::ifstream in(state_path);
  nlohmann::json state = nlohmann::json::parse(in, nullptr, false);
  if (state.is_discarded() || !state.contains("anchors") || !state.contains("palette")) {
    std::fprintf(stderr, "png_probe: \"%s\" is not a state report with anchors and palette\n",
                 state_path.c_str());
    return 2;
  }
  const Rgb backdrop = parse_hex(state["palette"]["backdrop"].get<std::string>());
  const Rgb ink = parse_hex(state["palette"]["ink"].get<std::string>());
  // Anti-aliased glyph edges blend into the paper; their cores are the ink colour.
  auto is_ink = [ink](Rgb c) { return distance(c, ink) <= 60; };
  auto is_backdrop = [backdrop](Rgb c) { return distance(c, backdrop) <= 6; };

  int failures = 0;
  auto report = [&failures](bool ok, const std::string& what) {
    std::printf("%s: %s\n", ok ? "ok" : "FAIL", what.c_str());
    if (!ok) ++failures;
  };
  auto anchor = [&state](const std::string& name, Box& box) {
    const auto& a = state["anchors"];
    if (!a.contains(name)) return false;
    box = {a[name]["x"].get<int>(), a[name]["y"].get<int>(), a[name]["w"].get<int>(),
           a[name]["h"].get<int>()};
    return true;
  };

  if (!size.empty()) {
    std::string got = std::to_string(img.width) + "x" + std::to_string(img.height);
    report(got == size, "image is " + got + ", expected " + size);
  }
  for (const std::string& arg : ink_checks) {
    std::string name;
    double min = 0;
    Box box;
    if (!split_eq(arg, name, min)) return bad_argument("--ink", arg);
    if (!anchor(name, box)) {
      report(false, "anchor \"" + name + "\" is not in the state report");
      continue;
    }
    long total = 0;
    long n = count(img, box, total, is_ink);
    report(n >= static_cast<long>(min), "anchor \"" + name + "\" has " + std::to_string(n) +
                                            " ink pixels, expected at least " +
                                            std::to_string(static_cast<long>(min)));
  }
  for (const std::string& arg : covered_checks) {
    std::string name;
    double min = 0;
    Box box;
    if (!split_eq(arg, name, min)) return bad_argument("--covered", arg);
    if (!anchor(name, box)) {
      report(false, "anchor \"" + name + "\" is not in the state report");
      continue;
    }
    long total = 0;
    long bg = count(img, box, total, is_backdrop);
    double covered = total == 0 ? 0.0 : 1.0 - static_cast<double>(bg) / static_cast<double>(total);
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "anchor \"%s\" is %.3f covered (not backdrop), expected at least %.3f",
                  name.c_str(), covered, min);
    report(total > 0 && covered >= min, buf);
  }
  for (const std::string& arg : backdrop_checks) {
    std::string rect;
    double min = 0;
    Box box;
    if (!split_eq(arg, rect, min) ||
        std::sscanf(rect.c_str(), "%d,%d,%d,%d", &box.x, &box.y, &box.w, &box.h) != 4) {
      return bad_argument("--backdrop", arg);
    }
    long total = 0;
    long bg = count(img, box, total, is_backdrop);
    double fraction = total == 0 ? 0.0 : static_cast<double>(bg) / static_cast<double>(total);
    char buf[160];
    std::snprintf(buf, sizeof buf, "rectangle %s is %.3f backdrop, expected at least %.3f",
                  rect.c_str(), fraction, min);
    report(total > 0 && fraction >= min, buf);
  }
  return failures == 0 ? 0 : 1;
}

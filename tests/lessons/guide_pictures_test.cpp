// The teacher's guide's pictures (docs/teaching.md, docs/teaching.id.md), label `lessons`.
//
// docs/lessons/shots.txt lists one moment per lesson; tools/screenshot renders it to
// docs/lessons/NN-en.png and NN-id.png. These checks keep the list, the pictures and the two
// guides in step, so a guide can not point at a missing picture, or leave a lesson without
// one. They read files only: rendering is tools/screenshot's job.
#include <doctest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "read_file.h"

namespace fs = std::filesystem;
using wmq::lessons::test::read_file;

namespace {

const fs::path kDocs = fs::path(WMQ_SOURCE_DIR) / "docs";

// One line of shots.txt: `NN scenario options...`.
struct Shot {
  std::string number;    // "01".."13"
  std::string scenario;  // a file name in scenarios/
  int line = 0;
};

struct Shots {
  int width = 0, height = 0;  // from the `window WxH` line
  std::vector<Shot> shots;
  std::string problems;  // lines that are neither a comment, the window nor a shot
};

Shots parse_shots(const std::string& text) {
  Shots out;
  std::istringstream in(text);
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    std::istringstream words(line);
    std::string first, second;
    words >> first >> second;
    if (first.empty() || first[0] == '#') continue;
    if (first == "window") {
      const std::regex size(R"((\d+)x(\d+))");
      std::smatch m;
      if (std::regex_match(second, m, size)) {
        out.width = std::stoi(m[1]);
        out.height = std::stoi(m[2]);
      } else {
        out.problems += "line " + std::to_string(n) + ": window wants WIDTHxHEIGHT\n";
      }
      continue;
    }
    const bool numbered = first.size() == 2 && std::isdigit(static_cast<unsigned char>(first[0])) &&
                          std::isdigit(static_cast<unsigned char>(first[1]));
    if (!numbered || second.empty()) {
      out.problems += "line " + std::to_string(n) + ": not `NN scenario options`: " + line + "\n";
      continue;
    }
    out.shots.push_back(Shot{first, second, n});
  }
  return out;
}

// A picture a guide shows: `![caption](path)`, with where it stands in the text.
struct Picture {
  std::string path;  // as written, relative to docs/
  size_t at = 0;     // offset of the `!`
};

std::vector<Picture> pictures_in(const std::string& markdown) {
  std::vector<Picture> out;
  const std::regex image(R"(!\[[^\]]*\]\(([^)\s]+)\))");
  for (auto it = std::sregex_iterator(markdown.begin(), markdown.end(), image);
       it != std::sregex_iterator(); ++it) {
    out.push_back(Picture{(*it)[1].str(), static_cast<size_t>(it->position(0))});
  }
  return out;
}

// The lesson whose section (from its `## <word> N:` heading to the next `## ` heading) holds
// offset `at`, as "NN"; "" outside every lesson's section.
std::string section_at(const std::string& markdown, const std::string& word, size_t at) {
  const std::regex heading("(^|\\n)## ([^\\n]*)");
  const std::regex lesson("^" + word + " (\\d+):.*");
  std::string current;
  for (auto it = std::sregex_iterator(markdown.begin(), markdown.end(), heading);
       it != std::sregex_iterator(); ++it) {
    if (static_cast<size_t>(it->position(2)) > at) break;
    const std::string title = (*it)[2].str();
    std::smatch m;
    current.clear();
    if (std::regex_match(title, m, lesson)) {
      const int n = std::stoi(m[1]);
      current = (n < 10 ? "0" : "") + std::to_string(n);
    }
  }
  return current;
}

// Width and height from a PNG's IHDR chunk; {0, 0} when the file is not a PNG.
std::array<uint32_t, 2> png_size(const fs::path& path) {
  const std::string bytes = read_file(path);
  static const std::string kSignature = "\x89PNG\r\n\x1a\n";
  if (bytes.size() < 24 || bytes.compare(0, 8, kSignature) != 0 ||
      bytes.compare(12, 4, "IHDR") != 0)
    return {0, 0};
  auto be32 = [&bytes](size_t at) {
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i)
      v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
    return v;
  };
  return {be32(16), be32(20)};
}

// The lessons' numbers, "01".."13", from the numbered scenario files (00 is the sandbox).
std::vector<std::string> lesson_numbers() {
  std::vector<std::string> out;
  for (const fs::directory_entry& e : fs::directory_iterator(WMQ_SCENARIOS_DIR)) {
    const std::string name = e.path().filename().string();
    if (e.path().extension() == ".toml" && name.size() > 3 && name[2] == '-' &&
        std::isdigit(static_cast<unsigned char>(name[0])) &&
        std::isdigit(static_cast<unsigned char>(name[1])) && name.rfind("00-", 0) != 0)
      out.push_back(name.substr(0, 2));
  }
  std::sort(out.begin(), out.end());
  return out;
}

Shots shipped_shots() {
  return parse_shots(read_file(kDocs / "lessons" / "shots.txt"));
}

struct Guide {
  const char* file;  // in docs/
  const char* lang;  // the pictures' suffix
  const char* word;  // a lesson's heading: "## <word> N: ..."
};
const std::array<Guide, 2> kGuides = {
    {{"teaching.md", "en", "Lesson"}, {"teaching.id.md", "id", "Pelajaran"}}};

}  // namespace

TEST_CASE("guide pictures: the checker finds pictures and the lesson section they stand in") {
  const std::string md =
      "# Title\n![intro](a.png)\n## Lesson 2: Board\ntext ![board](lessons/02-en.png) more\n"
      "## Lesson 10: Poison\n![x](lessons/10-en.png)\n## Wrap-up\n![end](lessons/11-en.png)\n";
  const std::vector<Picture> p = pictures_in(md);
  REQUIRE(p.size() == 4);
  CHECK(p[0].path == "a.png");
  CHECK(p[1].path == "lessons/02-en.png");
  CHECK(p[2].path == "lessons/10-en.png");
  CHECK(p[3].path == "lessons/11-en.png");
  CHECK(section_at(md, "Lesson", p[0].at) == "");
  CHECK(section_at(md, "Lesson", p[1].at) == "02");
  CHECK(section_at(md, "Lesson", p[2].at) == "10");
  CHECK(section_at(md, "Lesson", p[3].at) == "");
  CHECK(section_at(md, "Pelajaran", p[1].at) == "");

  const Shots s = parse_shots("# c\nwindow 640x480\n01  01-a.toml --at 1m\n1 x\n02\n");
  CHECK(s.width == 640);
  CHECK(s.height == 480);
  REQUIRE(s.shots.size() == 1);
  CHECK(s.shots[0].number == "01");
  CHECK(s.shots[0].scenario == "01-a.toml");
  CHECK(s.shots[0].line == 3);
  CHECK(s.problems ==
        "line 4: not `NN scenario options`: 1 x\nline 5: not `NN scenario options`: 02\n");
}

TEST_CASE("guide pictures: the moments list has one line per lesson, in order, on its scenario") {
  const Shots s = shipped_shots();
  CHECK(s.problems == "");
  CHECK(s.width > 0);
  CHECK(s.height > 0);
  std::vector<std::string> numbers;
  for (const Shot& shot : s.shots) {
    INFO("shots.txt line " << shot.line);
    numbers.push_back(shot.number);
    CHECK(shot.scenario.rfind(shot.number + "-", 0) == 0);
    CHECK(fs::is_regular_file(fs::path(WMQ_SCENARIOS_DIR) / shot.scenario));
  }
  CHECK(numbers == lesson_numbers());
}

TEST_CASE("guide pictures: each guide shows every lesson's picture, in its language and section") {
  const Shots s = shipped_shots();
  for (const Guide& g : kGuides) {
    const std::string md = read_file(kDocs / g.file);
    std::string problems;
    std::map<std::string, int> shown;  // picture -> times shown in its own section
    for (const Picture& p : pictures_in(md)) {
      const std::regex lesson_picture(R"(lessons/(\d\d)-([a-z]+)\.png)");
      std::smatch m;
      if (!std::regex_match(p.path, m, lesson_picture)) continue;
      if (m[2] != g.lang) problems += p.path + ": a picture in the other language\n";
      const std::string section = section_at(md, g.word, p.at);
      if (section != m[1])
        problems += p.path + ": shown in the section of lesson '" + section + "'\n";
      else
        ++shown[p.path];
    }
    for (const Shot& shot : s.shots) {
      const std::string want = "lessons/" + shot.number + "-" + g.lang + ".png";
      if (shown[want] == 0) problems += want + ": not shown in its lesson's section\n";
    }
    INFO(std::string(g.file));
    CHECK(problems == "");
  }
}

TEST_CASE("guide pictures: every picture a guide shows exists, and lesson pictures fit the list") {
  const Shots s = shipped_shots();
  for (const Guide& g : kGuides) {
    std::string problems;
    for (const Picture& p : pictures_in(read_file(kDocs / g.file))) {
      const fs::path file = kDocs / p.path;
      if (!fs::is_regular_file(file)) {
        problems += p.path + ": no such file\n";
        continue;
      }
      const std::array<uint32_t, 2> size = png_size(file);
      if (size[0] == 0) {
        problems += p.path + ": not a PNG\n";
        continue;
      }
      // A lesson picture of another size was not made by tools/screenshot from this list.
      if (p.path.rfind("lessons/", 0) == 0 &&
          (size[0] != static_cast<uint32_t>(s.width) || size[1] != static_cast<uint32_t>(s.height)))
        problems += p.path + ": " + std::to_string(size[0]) + "x" + std::to_string(size[1]) +
                    ", the list says " + std::to_string(s.width) + "x" + std::to_string(s.height) +
                    "\n";
    }
    INFO(std::string(g.file));
    CHECK(problems == "");
  }
}

TEST_CASE("guide pictures: docs/lessons holds only the pictures the list names") {
  const Shots s = shipped_shots();
  std::set<std::string> named;
  for (const Shot& shot : s.shots)
    for (const Guide& g : kGuides)
      named.insert(shot.number + "-" + g.lang + ".png");
  std::string strays;
  for (const fs::directory_entry& e : fs::directory_iterator(kDocs / "lessons")) {
    const std::string name = e.path().filename().string();
    if (e.path().extension() == ".png" && named.count(name) == 0) strays += name + "\n";
  }
  CHECK(strays == "");
}

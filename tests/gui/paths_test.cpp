#include <doctest.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "gui/paths.h"

using namespace wmq;
using namespace wmq::gui;

namespace {

// A directory of its own under the system temp dir, removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char tmpl[] = "/tmp/wmq-gui-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("config_dir uses an absolute XDG_CONFIG_HOME") {
  CHECK(config_dir("/x/cfg", "/home/ani") == std::filesystem::path("/x/cfg/warungmq"));
}

TEST_CASE("config_dir ignores a relative or empty XDG_CONFIG_HOME and uses HOME") {
  CHECK(config_dir("cfg", "/home/ani") == std::filesystem::path("/home/ani/.config/warungmq"));
  CHECK(config_dir("", "/home/ani") == std::filesystem::path("/home/ani/.config/warungmq"));
  CHECK(config_dir(nullptr, "/home/ani") == std::filesystem::path("/home/ani/.config/warungmq"));
}

TEST_CASE("config_dir is empty rather than the working directory when nothing is usable") {
  CHECK(config_dir(nullptr, nullptr).empty());
  CHECK(config_dir("rel", "also-rel").empty());
}

TEST_CASE("ensure_config_dir creates the directory and its parents") {
  TempDir tmp;
  std::filesystem::path dir = tmp.path / "a" / "b" / "warungmq";
  REQUIRE(ensure_config_dir(dir).is_ok());
  CHECK(std::filesystem::is_directory(dir));
  CHECK(ensure_config_dir(dir).is_ok());  // already there: fine
}

TEST_CASE("ensure_config_dir names the directory it cannot create") {
  TempDir tmp;
  std::ofstream(tmp.path / "file") << "in the way";
  std::filesystem::path dir = tmp.path / "file" / "warungmq";
  Status st = ensure_config_dir(dir);
  CHECK(st.code() == Code::kIoError);
  CHECK(st.message() ==
        "settings directory \"" + dir.string() + "\": cannot be created (Not a directory)");
}

TEST_CASE("new_screenshot_path never names an existing file") {
  TempDir tmp;
  const std::time_t when = std::time(nullptr);
  std::filesystem::path first = new_screenshot_path(tmp.path, when);
  CHECK(first == tmp.path / screenshot_file_name(when));
  std::ofstream(first) << "taken";
  std::filesystem::path second = new_screenshot_path(tmp.path, when);
  std::string stem = screenshot_file_name(when).substr(0, 24);
  CHECK(second == tmp.path / (stem + "-2.png"));
  std::ofstream(second) << "taken";
  CHECK(new_screenshot_path(tmp.path, when) == tmp.path / (stem + "-3.png"));
}

TEST_CASE("screenshot_file_name stamps the local date and time") {
  const char* old = std::getenv("TZ");
  std::string saved = old != nullptr ? old : "";
  setenv("TZ", "UTC", 1);
  tzset();
  CHECK(screenshot_file_name(1'700'000'000) == "warungmq-20231114-221320.png");
  if (old != nullptr) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
}

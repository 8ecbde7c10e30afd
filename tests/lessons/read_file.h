// Reading a file whole, for the lesson tests that check shipped files (lessons, guides).
#pragma once

#include <doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace wmq::lessons::test {

// The bytes of the file at `path`. A file that cannot be opened fails the test (REQUIRE) with
// its path: the files these tests read ship with the project.
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace wmq::lessons::test

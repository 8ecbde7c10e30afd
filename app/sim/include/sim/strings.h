// Small string helpers shared by the simulator and the GUI's model.
#pragma once

#include <string_view>

namespace wmq::sim {

// `s` without the `blanks` it starts and ends with (by default spaces, tabs
// and the carriage return of a Windows line end).
inline std::string_view trim(std::string_view s, std::string_view blanks = " \t\r") {
  const size_t b = s.find_first_not_of(blanks);
  if (b == std::string_view::npos) return {};
  const size_t e = s.find_last_not_of(blanks);
  return s.substr(b, e - b + 1);
}

}  // namespace wmq::sim

// Shared by the libFuzzer targets: a broken property aborts with its name,
// which libFuzzer reports as a crash and saves the input for.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace wmq::fuzz {

inline void require(bool ok, const char* target, const char* property,
                    std::string_view detail = {}) {
  if (ok) return;
  std::fprintf(stderr, "%s: property broken: %s\n%.*s\n", target, property,
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

inline bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// True for "ORIGIN:LINE: sentence" with LINE a positive number.
inline bool names_a_line(std::string_view message, std::string_view origin) {
  if (!starts_with(message, std::string(origin) + ":")) return false;
  std::string_view rest = message.substr(origin.size() + 1);
  size_t digits = 0;
  while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9')
    ++digits;
  return digits > 0 && rest[0] != '0' && rest.substr(digits, 2) == ": " && rest.size() > digits + 2;
}

}  // namespace wmq::fuzz

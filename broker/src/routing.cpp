#include "broker/routing.h"

#include <vector>

namespace wmq {

namespace {

std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> words;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    if (dot == std::string_view::npos) {
      words.push_back(s.substr(start));
      return words;
    }
    words.push_back(s.substr(start, dot - start));
    start = dot + 1;
  }
}

// Classic AMQP topic match over words, with `#` trying every split. The
// memo keeps it polynomial for patterns like "#.#.#.x".
bool match_words(const std::vector<std::string_view>& pat, size_t pi,
                 const std::vector<std::string_view>& key, size_t ki,
                 std::vector<signed char>& memo) {
  signed char& m = memo[pi * (key.size() + 1) + ki];
  if (m >= 0) return m != 0;
  bool result;
  if (pi == pat.size()) {
    result = ki == key.size();
  } else if (pat[pi] == "#") {
    result = false;
    for (size_t k = ki; k <= key.size() && !result; ++k) {
      result = match_words(pat, pi + 1, key, k, memo);
    }
  } else if (ki == key.size()) {
    result = false;
  } else if (pat[pi] == "*" || pat[pi] == key[ki]) {
    result = match_words(pat, pi + 1, key, ki + 1, memo);
  } else {
    result = false;
  }
  m = result ? 1 : 0;
  return result;
}

}  // namespace

bool topic_matches(std::string_view pattern, std::string_view routing_key) {
  if (pattern == "#") return true;
  const auto pat = split_words(pattern);
  // An empty routing key has no words at all (only "#" patterns match it).
  const auto key = routing_key.empty() ? std::vector<std::string_view>{} : split_words(routing_key);
  std::vector<signed char> memo((pat.size() + 1) * (key.size() + 1), -1);
  return match_words(pat, 0, key, 0, memo);
}

}  // namespace wmq

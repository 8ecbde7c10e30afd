#include "toml_read.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string_view>

#include "sim/duration.h"

namespace wmq::sim::detail {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& options) {
  std::optional<std::string> best;
  size_t best_d = SIZE_MAX;
  // A typo changes a few letters; beyond a third of the word it is another word.
  const size_t limit = std::max<size_t>(2, word.size() / 3);
  for (const std::string& o : options) {
    const size_t d = edit_distance(word, o);
    if (d < best_d) {
      best_d = d;
      best = o;
    }
  }
  if (best_d > limit) return std::nullopt;
  return best;
}

std::string quoted_list(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += (i + 1 == items.size()) ? " or " : ", ";
    out += "\"" + items[i] + "\"";
  }
  return out;
}

std::string suggest(std::string_view word, const std::vector<std::string>& options) {
  if (auto n = nearest(word, options)) return "; did you mean \"" + *n + "\"?";
  return "; write one of " + quoted_list(options);
}

namespace {

// The first byte of `text` that does not begin or continue a well-formed UTF-8 sequence
// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF); npos if none.
size_t first_bad_utf8(std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xbf;  // the second byte's range
    if (b >= 0xc2 && b <= 0xdf) {
      len = 2;
    } else if (b >= 0xe0 && b <= 0xef) {
      len = 3;
      if (b == 0xe0) lo = 0xa0;  // overlong
      if (b == 0xed) hi = 0x9f;  // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      len = 4;
      if (b == 0xf0) lo = 0x90;  // overlong
      if (b == 0xf4) hi = 0x8f;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xbf)) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

}  // namespace

TValue Reader::parse(const std::string& text) const {
  // TOML is UTF-8. Say so before toml11 sees other bytes: Debian's version reads past the end
  // of a literal string holding them (toml11 issue 199, fixed after the version Debian 12 has).
  if (const size_t bad = first_bad_utf8(text); bad != std::string_view::npos) {
    const std::string_view before = std::string_view(text).substr(0, bad);
    const size_t newline = before.rfind('\n');
    const size_t column = newline == std::string_view::npos ? bad + 1 : bad - newline;
    const auto line = static_cast<uint32_t>(std::count(before.begin(), before.end(), '\n') + 1);
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[bad]));
    fail_line(line, std::string("this line is not UTF-8 text (byte ") + byte + " at column " +
                        std::to_string(column) + "); save the file as UTF-8");
  }
  std::istringstream in(text);
  try {
    return toml::parse<toml::discard_comments, std::map, std::vector>(in, file_);
  } catch (const toml::syntax_error& e) {
    // toml11's message is several lines with a caret picture; its first line
    // names the problem ("[error] toml::parse_x: the next token is ...").
    std::string what = e.what();
    std::string first = what.substr(0, what.find('\n'));
    if (auto colon = first.find(": "); first.rfind("[error]", 0) == 0 && colon != std::string::npos)
      first = first.substr(colon + 2);
    fail_line(e.location().line(),
              "not valid TOML (" + first +
                  "); check the quotes, brackets and \"=\" on this line, and that no key is "
                  "written twice");
  } catch (const toml::exception& e) {
    fail_line(e.location().line(), std::string("not valid TOML: ") + e.what());
  }
}

void Reader::fail(const TValue& at, const std::string& sentence) const {
  fail_line(line_of(at), sentence);
}

void Reader::fail_line(uint32_t line, const std::string& sentence) const {
  throw LoadError{file_ + ":" + std::to_string(line) + ": " + sentence};
}

uint32_t Reader::line_of(const TValue& v) const {
  return static_cast<uint32_t>(v.location().line());
}

void Reader::check_keys(const TValue& table, std::string_view where,
                        const std::vector<std::string>& known) const {
  for (const auto& [key, value] : table.as_table()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    fail(value, "unknown key \"" + key + "\" in " + std::string(where) + suggest(key, known));
  }
}

const TValue* Reader::find(const TValue& table, const std::string& key) const {
  const TTable& t = table.as_table();
  auto it = t.find(key);
  return it == t.end() ? nullptr : &it->second;
}

const TValue& Reader::require(const TValue& table, const std::string& key,
                              std::string_view where) const {
  const TValue* v = find(table, key);
  if (v == nullptr) fail(table, std::string(where) + " needs \"" + key + "\"");
  return *v;
}

std::string Reader::type_name(const TValue& v) {
  switch (v.type()) {
    case toml::value_t::boolean:
      return "true/false";
    case toml::value_t::integer:
      return "a whole number";
    case toml::value_t::floating:
      return "a decimal number";
    case toml::value_t::string:
      return "a string";
    case toml::value_t::array:
      return "a list";
    case toml::value_t::table:
      return "a table";
    default:
      return "a date or time";
  }
}

std::optional<int64_t> Reader::get_int(const TValue& table, const std::string& key, int64_t lo,
                                       int64_t hi) const {
  const TValue* v = find(table, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_integer()) {
    fail(*v, "\"" + key + "\" must be a whole number " + std::to_string(lo) + ".." +
                 std::to_string(hi) + ", got " + type_name(*v));
  }
  const int64_t x = v->as_integer();
  if (x < lo || x > hi) {
    fail(*v, "\"" + key + "\" must be " + std::to_string(lo) + ".." + std::to_string(hi) +
                 ", got " + std::to_string(x));
  }
  return x;
}

namespace {
std::string number_text(double x) {
  std::ostringstream o;
  o << x;
  return o.str();
}
}  // namespace

std::optional<double> Reader::get_number(const TValue& table, const std::string& key, double lo,
                                         double hi) const {
  const TValue* v = find(table, key);
  if (v == nullptr) return std::nullopt;
  double x = 0;
  if (v->is_integer()) {
    x = static_cast<double>(v->as_integer());
  } else if (v->is_floating()) {
    x = v->as_floating();
  } else {
    fail(*v, "\"" + key + "\" must be a number " + number_text(lo) + ".." + number_text(hi) +
                 ", got " + type_name(*v));
  }
  if (!(x >= lo && x <= hi)) {
    fail(*v, "\"" + key + "\" must be " + number_text(lo) + ".." + number_text(hi) + ", got " +
                 number_text(x));
  }
  return x;
}

std::optional<bool> Reader::get_bool(const TValue& table, const std::string& key) const {
  const TValue* v = find(table, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) {
    fail(*v, "\"" + key + "\" must be true or false, got " + type_name(*v));
  }
  return v->as_boolean();
}

std::optional<std::string> Reader::get_string(const TValue& table, const std::string& key) const {
  const TValue* v = find(table, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    fail(*v, "\"" + key + "\" must be a string in quotes, got " + type_name(*v));
  }
  return v->as_string().str;
}

std::optional<Micros> Reader::get_duration(const TValue& table, const std::string& key, Micros lo,
                                           Micros hi) const {
  const TValue* v = find(table, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    fail(*v, "\"" + key + "\" must be a duration in quotes like \"90s\" or \"2m30s\", got " +
                 type_name(*v));
  }
  Result<Micros> d = parse_duration(v->as_string().str);
  if (!d.is_ok()) fail(*v, "\"" + key + "\": " + d.status().message());
  if (*d < lo || *d > hi) {
    fail(*v, "\"" + key + "\" must be " + format_duration(lo) + ".." + format_duration(hi) +
                 ", got " + format_duration(*d));
  }
  return *d;
}

std::vector<std::string> Reader::get_string_array(const TValue& table,
                                                  const std::string& key) const {
  std::vector<std::string> out;
  const TValue* v = find(table, key);
  if (v == nullptr) return out;
  if (!v->is_array()) {
    fail(*v, "\"" + key + "\" must be a list of strings like [\"a\", \"b\"], got " + type_name(*v));
  }
  for (const TValue& item : v->as_array()) {
    if (!item.is_string()) {
      fail(item, "\"" + key + "\" must be a list of strings, but one item is " + type_name(item));
    }
    out.push_back(item.as_string().str);
  }
  return out;
}

}  // namespace wmq::sim::detail

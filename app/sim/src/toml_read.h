// Reading the teachers' TOML files (menu, scenarios) with errors a person can
// act on: every message starts with file:line and says what to write instead.
//
// Internal to wmq_sim. The helpers throw LoadError; the public loaders catch
// it at their boundary and return a Status, so nothing is thrown across the
// library's API.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml.hpp>

#include "broker/clock.h"
#include "broker/status.h"
#include "sim/menu.h"

namespace wmq::sim::detail {

// Tables as ordered maps: a file is walked in key order, never in hash order.
using TValue = toml::basic_value<toml::discard_comments, std::map, std::vector>;
using TTable = TValue::table_type;
using TArray = TValue::array_type;

struct LoadError {
  std::string message;  // "file:line: sentence"
};

// The edit distance between two short words (for "did you mean").
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word`, if one is close enough to be a typo.
std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& options);

// `"grill", "wok" and "drinks"`, for listing choices in a sentence.
std::string quoted_list(const std::vector<std::string>& items);

// " (did you mean "x"?)" or "; write one of a, b, c".
std::string suggest(std::string_view word, const std::vector<std::string>& options);

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  // Parses `text`; a syntax error becomes a LoadError at its line.
  TValue parse(const std::string& text) const;

  [[noreturn]] void fail(const TValue& at, const std::string& sentence) const;
  [[noreturn]] void fail_line(uint32_t line, const std::string& sentence) const;
  uint32_t line_of(const TValue& v) const;

  // Every key of `table` must be in `known`; `where` names the table in
  // messages ("[restaurant]").
  void check_keys(const TValue& table, std::string_view where,
                  const std::vector<std::string>& known) const;

  const TValue* find(const TValue& table, const std::string& key) const;
  const TValue& require(const TValue& table, const std::string& key, std::string_view where) const;

  // Typed reads of `table.key`; nullopt when absent. Range checks fail with
  // `"key" must be LO..HI, got V`.
  std::optional<int64_t> get_int(const TValue& table, const std::string& key, int64_t lo,
                                 int64_t hi) const;
  std::optional<double> get_number(const TValue& table, const std::string& key, double lo,
                                   double hi) const;
  std::optional<bool> get_bool(const TValue& table, const std::string& key) const;
  std::optional<std::string> get_string(const TValue& table, const std::string& key) const;
  std::optional<Micros> get_duration(const TValue& table, const std::string& key, Micros lo,
                                     Micros hi) const;
  std::vector<std::string> get_string_array(const TValue& table, const std::string& key) const;

  static std::string type_name(const TValue& v);
  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

// A time distribution: a duration string (fixed) or an inline table such as
// { dist = "uniform", min = "3m", max = "5m" }.
TimeDist read_time_dist(const Reader& r, const TValue& v, const std::string& key);

}  // namespace wmq::sim::detail

// The benchmark driver: each part adds its figures to one JSON object that
// tools/bench prints as its last line.
#pragma once

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wmq::bench {

// A bench section: fills `figures` with named numbers (and may print lines of its own).
using Section = std::function<void(nlohmann::json& figures)>;

// Registers a section under a name (`--only NAME` runs just that one).
bool add_section(std::string name, Section section);

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return 0;
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace wmq::bench

// The menu: what customers order, which station cooks it, and for how long.
//
// Read from assets/menu.toml (see docs/scenarios.md, "The menu"). A dish is
// ordered by its name as a warung writes it ("nasi goreng"); `en` and `id`
// are what a person reads. Cooking time is a distribution our own code
// samples (random.h), so a run is the same on every machine.
//
// Thread-safety: values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "broker/clock.h"
#include "broker/status.h"
#include "sim/random.h"

namespace wmq::sim {

// A duration drawn at random: cooking times, service times.
struct TimeDist {
  enum class Kind : uint8_t {
    kFixed,        // always `a`
    kUniform,      // uniform in [a, b]
    kExponential,  // b + exponential with mean a - b (so the least is b, the mean a)
    kNormal,       // normal with mean a and deviation b, kept within a +- 3b and >= 1ms
  };
  Kind kind = Kind::kFixed;
  Micros a = 0;
  Micros b = 0;

  static TimeDist fixed(Micros v) { return TimeDist{Kind::kFixed, v, 0}; }
  static TimeDist uniform(Micros lo, Micros hi) { return TimeDist{Kind::kUniform, lo, hi}; }

  // One draw; each kind consumes a fixed number of draws from `rng`.
  Micros sample(Rng& rng) const;
  // The mean, for people ("about 4m").
  Micros mean() const;
  // "uniform 3m..5m", "fixed 30s", "exponential mean 4m, at least 1m", "normal 4m +- 30s".
  std::string describe() const;
};

struct Dish {
  std::string name;     // as ordered and validated: "nasi goreng"
  std::string en;       // "fried rice"
  std::string id;       // "nasi goreng"
  std::string station;  // "wok"
  int64_t price = 0;    // rupiah
  TimeDist cook;        // cooking time at speed 1.0
  uint32_t weight = 1;  // how often it is chosen, relative to the other dishes
};

struct Menu {
  std::vector<Dish> dishes;  // in file order
  std::string path;          // where it was read from ("" when built in code)

  // The dish called `name`, or null.
  const Dish* find(std::string_view name) const;
  // Its index, or -1.
  int index_of(std::string_view name) const;
  // Every station some dish is cooked at, sorted, once each.
  std::vector<std::string> stations() const;
  // Every dish name, in file order.
  std::vector<std::string> names() const;
};

// Reads a menu file. Errors (kInvalid / kIoError), each "file:line: sentence":
// malformed TOML, an unknown key (with the nearest known one), a missing
// field, a value out of range, a dish listed twice.
Result<Menu> load_menu(const std::string& path);
// The same from text; `file` names it in messages.
Result<Menu> parse_menu(const std::string& text, const std::string& file);

}  // namespace wmq::sim

#include "sim/menu.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "sim/duration.h"
#include "toml_read.h"

namespace wmq::sim {

using detail::LoadError;
using detail::Reader;
using detail::TValue;

Micros TimeDist::sample(Rng& rng) const {
  switch (kind) {
    case Kind::kFixed:
      return a;
    case Kind::kUniform:
      return rng.uniform_int(a, b);
    case Kind::kExponential:
      return b + round_micros(rng.exponential(static_cast<double>(a - b)));
    case Kind::kNormal: {
      const double x = static_cast<double>(a) + static_cast<double>(b) * rng.normal01();
      const double lo = std::max(static_cast<double>(a - 3 * b), 1000.0);
      const double hi = static_cast<double>(a + 3 * b);
      return round_micros(std::clamp(x, lo, std::max(lo, hi)));
    }
  }
  return a;
}

Micros TimeDist::mean() const {
  switch (kind) {
    case Kind::kUniform:
      return (a + b) / 2;
    default:
      return a;
  }
}

std::string TimeDist::describe() const {
  switch (kind) {
    case Kind::kFixed:
      return "fixed " + format_duration(a);
    case Kind::kUniform:
      return "uniform " + format_duration(a) + ".." + format_duration(b);
    case Kind::kExponential:
      return "exponential mean " + format_duration(a) + ", at least " + format_duration(b);
    case Kind::kNormal:
      return "normal " + format_duration(a) + " +- " + format_duration(b);
  }
  return "";
}

const Dish* Menu::find(std::string_view name) const {
  for (const Dish& d : dishes) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

int Menu::index_of(std::string_view name) const {
  for (size_t i = 0; i < dishes.size(); ++i) {
    if (dishes[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::vector<std::string> Menu::stations() const {
  std::vector<std::string> out;
  for (const Dish& d : dishes)
    out.push_back(d.station);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> Menu::names() const {
  std::vector<std::string> out;
  for (const Dish& d : dishes)
    out.push_back(d.name);
  return out;
}

namespace detail {

// Reads a time distribution written as an inline table, e.g.
// { dist = "uniform", min = "3m", max = "5m" }. Shared with the scenario loader.
TimeDist read_time_dist(const Reader& r, const TValue& v, const std::string& key) {
  constexpr Micros kDay = 24 * 3600 * kSeconds;
  if (v.is_string()) {
    // A bare duration is a fixed time.
    Result<Micros> d = parse_duration(v.as_string().str);
    if (!d.is_ok()) r.fail(v, "\"" + key + "\": " + d.status().message());
    return TimeDist::fixed(*d);
  }
  if (!v.is_table()) {
    r.fail(v, "\"" + key +
                  "\" must be a duration like \"30s\" or a table like { dist = \"uniform\", "
                  "min = \"3m\", max = \"5m\" }, got " +
                  Reader::type_name(v));
  }
  const std::string dist = r.get_string(v, "dist").value_or("");
  if (dist == "fixed") {
    r.check_keys(v, "\"" + key + "\" (fixed)", {"dist", "value"});
    const TValue& value = r.require(v, "value", "\"" + key + "\" (fixed)");
    (void)value;
    return TimeDist::fixed(*r.get_duration(v, "value", 0, kDay));
  }
  if (dist == "uniform") {
    r.check_keys(v, "\"" + key + "\" (uniform)", {"dist", "min", "max"});
    r.require(v, "min", "\"" + key + "\" (uniform)");
    r.require(v, "max", "\"" + key + "\" (uniform)");
    const Micros lo = *r.get_duration(v, "min", 0, kDay);
    const Micros hi = *r.get_duration(v, "max", 0, kDay);
    if (hi < lo) {
      r.fail(v, "\"" + key + "\": \"max\" (" + format_duration(hi) + ") must be >= \"min\" (" +
                    format_duration(lo) + ")");
    }
    return TimeDist::uniform(lo, hi);
  }
  if (dist == "exponential") {
    r.check_keys(v, "\"" + key + "\" (exponential)", {"dist", "mean", "min"});
    r.require(v, "mean", "\"" + key + "\" (exponential)");
    const Micros mean = *r.get_duration(v, "mean", 1, kDay);
    const Micros lo = r.get_duration(v, "min", 0, kDay).value_or(0);
    if (lo >= mean) {
      r.fail(v, "\"" + key + "\": \"min\" (" + format_duration(lo) + ") must be below \"mean\" (" +
                    format_duration(mean) + ")");
    }
    return TimeDist{TimeDist::Kind::kExponential, mean, lo};
  }
  if (dist == "normal") {
    r.check_keys(v, "\"" + key + "\" (normal)", {"dist", "mean", "sd"});
    r.require(v, "mean", "\"" + key + "\" (normal)");
    r.require(v, "sd", "\"" + key + "\" (normal)");
    const Micros mean = *r.get_duration(v, "mean", kMillis, kDay);
    const Micros sd = *r.get_duration(v, "sd", 0, kDay);
    return TimeDist{TimeDist::Kind::kNormal, mean, sd};
  }
  const TValue* at = r.find(v, "dist");
  const std::vector<std::string> kinds = {"fixed", "uniform", "exponential", "normal"};
  if (at == nullptr) {
    r.fail(v, "\"" + key + "\" needs \"dist\"; write one of " + quoted_list(kinds));
  }
  r.fail(*at, "\"dist\" \"" + dist + "\" is not a distribution" + suggest(dist, kinds));
}

}  // namespace detail

Result<Menu> parse_menu(const std::string& text, const std::string& file) {
  Reader r(file);
  try {
    const TValue root = r.parse(text);
    r.check_keys(root, "the menu", {"dish"});
    const TValue* dishes = r.find(root, "dish");
    if (dishes == nullptr || !dishes->is_array() || dishes->as_array().empty()) {
      r.fail_line(1,
                  "the menu has no dishes; add [[dish]] tables with name, en, id, station "
                  "and cook");
    }
    Menu menu;
    menu.path = file;
    for (const TValue& t : dishes->as_array()) {
      if (!t.is_table()) r.fail(t, "each dish must be a [[dish]] table");
      r.check_keys(t, "[[dish]]", {"name", "en", "id", "station", "price", "cook", "weight"});
      Dish d;
      r.require(t, "name", "[[dish]]");
      r.require(t, "station", "[[dish]]");
      r.require(t, "cook", "[[dish]]");
      d.name = *r.get_string(t, "name");
      if (d.name.empty()) r.fail(t, "a dish needs a non-empty \"name\"");
      if (menu.find(d.name) != nullptr) {
        r.fail(t, "dish \"" + d.name + "\" is listed twice; give each dish one [[dish]] table");
      }
      d.en = r.get_string(t, "en").value_or(d.name);
      d.id = r.get_string(t, "id").value_or(d.name);
      d.station = *r.get_string(t, "station");
      if (d.station.empty()) r.fail(t, "dish \"" + d.name + "\" needs a non-empty \"station\"");
      d.price = r.get_int(t, "price", 0, 100'000'000).value_or(0);
      d.weight = static_cast<uint32_t>(r.get_int(t, "weight", 1, 1000).value_or(1));
      d.cook = detail::read_time_dist(r, *r.find(t, "cook"), "cook");
      menu.dishes.push_back(std::move(d));
    }
    return menu;
  } catch (const LoadError& e) {
    return Status::error(Code::kInvalid, e.message);
  }
}

Result<Menu> load_menu(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::error(Code::kIoError, path + ": cannot read the menu file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_menu(text.str(), path);
}

}  // namespace wmq::sim

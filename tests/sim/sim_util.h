// Shared helpers of the simulator tests.
#pragma once

#include <doctest.h>

#include <memory>
#include <string>

#include "sim/simulation.h"

namespace wmq::sim::test {

inline Scenario scenario(const std::string& text) {
  Result<Scenario> r = parse_scenario(text, "test.toml");
  if (!r.is_ok()) FAIL(r.status().message());
  return std::move(r).value();
}

inline std::unique_ptr<Simulation> start(const Scenario& s, uint64_t seed = 1,
                                         std::vector<Injection> injections = {},
                                         Storage storage = Storage::kMemory) {
  SimOptions o;
  o.seed = seed;
  o.storage = storage;
  Result<std::unique_ptr<Simulation>> r = Simulation::create(s, o, std::move(injections));
  if (!r.is_ok()) FAIL(r.status().message());
  return std::move(r).value();
}

inline Injection inj(InjectionKind kind, std::string target = "", Micros at = -1) {
  Injection i;
  i.kind = kind;
  i.target = std::move(target);
  i.at = at;
  return i;
}

// Steps until `pred` holds (or fails the test after `limit` steps).
template <typename Pred>
void step_until(Simulation& sim, Pred pred, int limit = 200000) {
  for (int i = 0; i < limit; ++i) {
    if (pred()) return;
    REQUIRE(sim.step());
  }
  FAIL("the condition never held");
}

inline const Cook& cook(const Simulation& sim, const std::string& name) {
  for (const Cook& k : sim.cooks()) {
    if (k.name == name) return k;
  }
  FAIL("no cook " << name);
  return sim.cooks().front();
}

inline void check_conservation(const Report& r) {
  CHECK(r.placed == r.rejected + r.served + r.dead_lettered + r.expired + r.lost + r.in_flight);
  CHECK(r.notes.empty());
}

}  // namespace wmq::sim::test

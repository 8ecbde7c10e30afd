// Variant: what the B side of the split view changes in the scenario — the
// same restaurant and seed with durable or transient queues, broker or direct
// mode, another prefetch, more cooks, more customers, other queue limits.
//
// A variant is a list of optional overrides; an unset field keeps the
// scenario's value. Presets cover what a lesson usually compares.
//
// Thread-safety: values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/clock.h"
#include "broker/status.h"
#include "sim/scenario.h"

namespace wmq::gui {

struct Variant {
  std::optional<bool> durable;             // every station queue and pickup
  std::optional<sim::Mode> mode;           // broker or direct
  std::optional<uint32_t> prefetch;        // every station's cooks (0 = no limit)
  std::optional<int> extra_cooks;          // added to every station (negative removes)
  std::optional<double> rate;              // customers per minute at the start
  std::optional<uint32_t> delivery_limit;  // every station queue (0 = no limit)
  std::optional<Micros> ttl;               // every station queue (0 = forever)
  std::optional<uint32_t> max_length;      // every station queue (0 = no limit)

  bool empty() const;
  bool operator==(const Variant&) const = default;
};

// The comparisons the Compare menu offers in one click.
enum class VariantPreset : uint8_t {
  kTransient,   // durable = false
  kDurable,     // durable = true
  kDirect,      // mode = direct
  kBroker,      // mode = broker
  kPrefetch1,   // prefetch = 1
  kPrefetch10,  // prefetch = 10
  kMoreCooks,   // one more cook per station
  kRush,        // twice the customers
};
inline constexpr VariantPreset kVariantPresets[] = {
    VariantPreset::kTransient, VariantPreset::kDurable,   VariantPreset::kDirect,
    VariantPreset::kBroker,    VariantPreset::kPrefetch1, VariantPreset::kPrefetch10,
    VariantPreset::kMoreCooks, VariantPreset::kRush,
};

// "transient", "durable", ...: stable names (i18n keys end in them).
const char* variant_preset_name(VariantPreset preset);
// The variant a preset stands for, given the scenario (kRush doubles its rate).
Variant make_variant(VariantPreset preset, const sim::Scenario& scenario);

// The scenario with the variant applied. kInvalid, naming the field, when the result could
// not run: a rate below 0, a station left with fewer than 0 cooks.
Result<sim::Scenario> apply_variant(const sim::Scenario& scenario, const Variant& variant);

// "durable=false prefetch=10": the fields set, in declaration order, for labels and reports;
// "" for an empty variant.
std::string describe(const Variant& variant);

}  // namespace wmq::gui

#include "gui/model/variant.h"

#include <cstdio>

#include "sim/duration.h"

namespace wmq::gui {

bool Variant::empty() const {
  return *this == Variant{};
}

const char* variant_preset_name(VariantPreset preset) {
  switch (preset) {
    case VariantPreset::kTransient:
      return "transient";
    case VariantPreset::kDurable:
      return "durable";
    case VariantPreset::kDirect:
      return "direct";
    case VariantPreset::kBroker:
      return "broker";
    case VariantPreset::kPrefetch1:
      return "prefetch_1";
    case VariantPreset::kPrefetch10:
      return "prefetch_10";
    case VariantPreset::kMoreCooks:
      return "more_cooks";
    case VariantPreset::kRush:
      return "rush";
  }
  return "unknown";
}

Variant make_variant(VariantPreset preset, const sim::Scenario& scenario) {
  Variant v;
  switch (preset) {
    case VariantPreset::kTransient:
      v.durable = false;
      break;
    case VariantPreset::kDurable:
      v.durable = true;
      break;
    case VariantPreset::kDirect:
      v.mode = sim::Mode::kDirect;
      break;
    case VariantPreset::kBroker:
      v.mode = sim::Mode::kBroker;
      break;
    case VariantPreset::kPrefetch1:
      v.prefetch = 1;
      break;
    case VariantPreset::kPrefetch10:
      v.prefetch = 10;
      break;
    case VariantPreset::kMoreCooks:
      v.extra_cooks = 1;
      break;
    case VariantPreset::kRush:
      v.rate = scenario.rate * 2;
      break;
  }
  return v;
}

Result<sim::Scenario> apply_variant(const sim::Scenario& scenario, const Variant& v) {
  sim::Scenario s = scenario;
  if (v.rate && *v.rate < 0) {
    return Status::error(Code::kInvalid, "variant rate " + std::to_string(*v.rate) +
                                             ": customers per minute cannot be negative");
  }
  if (v.durable) {
    for (sim::StationSettings& st : s.stations)
      st.queue.durable = *v.durable;
    s.pickup.durable = *v.durable;
  }
  if (v.mode) s.mode = *v.mode;
  if (v.rate) s.rate = *v.rate;
  for (sim::StationSettings& st : s.stations) {
    if (v.prefetch) st.prefetch = *v.prefetch;
    if (v.delivery_limit) st.queue.delivery_limit = *v.delivery_limit;
    if (v.ttl) st.queue.ttl = *v.ttl;
    if (v.max_length) st.queue.max_length = *v.max_length;
    if (v.extra_cooks) {
      const int cooks = static_cast<int>(st.cooks) + *v.extra_cooks;
      if (cooks < 0) {
        return Status::error(Code::kInvalid, "variant extra_cooks " +
                                                 std::to_string(*v.extra_cooks) + ": station \"" +
                                                 st.name + "\" has only " +
                                                 std::to_string(st.cooks) + " cooks");
      }
      st.cooks = static_cast<uint32_t>(cooks);
      if (st.speeds.size() > st.cooks) st.speeds.resize(st.cooks);
    }
  }
  return s;
}

std::string describe(const Variant& v) {
  std::string out;
  auto add = [&out](const std::string& part) {
    if (!out.empty()) out += ' ';
    out += part;
  };
  if (v.durable) add(*v.durable ? "durable=true" : "durable=false");
  if (v.mode) add(std::string("mode=") + sim::mode_name(*v.mode));
  if (v.prefetch) add("prefetch=" + std::to_string(*v.prefetch));
  if (v.extra_cooks) add("extra_cooks=" + std::to_string(*v.extra_cooks));
  if (v.rate) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "rate=%g", *v.rate);
    add(buf);
  }
  if (v.delivery_limit) add("delivery_limit=" + std::to_string(*v.delivery_limit));
  if (v.ttl) add("ttl=" + sim::format_duration(*v.ttl));
  if (v.max_length) add("max_length=" + std::to_string(*v.max_length));
  return out;
}

}  // namespace wmq::gui

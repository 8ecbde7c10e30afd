#include "sim/injection.h"

#include <array>
#include <cstdio>
#include <sstream>

#include "sim/duration.h"

namespace wmq::sim {

namespace {

constexpr std::array<const char*, kInjectionKinds> kNames = {
    "crash_cook",    "freeze_cook",    "revive_cook",  "add_cook",       "remove_cook",
    "crash_cashier", "revive_cashier", "crash_broker", "restart_broker", "bad_order",
    "poison_order",  "set_rate",       "set_queue",    "slow_disk",      "announce",
    "fill_disk",     "free_disk",
};

std::string number(double x) {
  // Shortest text that reads back to the same double ("%.17g" is exact but ugly).
  for (int digits = 1; digits <= 17; ++digits) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.*g", digits, x);
    if (std::strtod(buf, nullptr) == x) return buf;
  }
  return std::to_string(x);
}

std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace

const char* injection_kind_name(InjectionKind kind) {
  const auto i = static_cast<size_t>(kind);
  return i < kNames.size() ? kNames[i] : "unknown";
}

std::optional<InjectionKind> injection_kind_from_name(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (name == kNames[i]) return static_cast<InjectionKind>(i);
  }
  return std::nullopt;
}

bool is_bad_order_problem(std::string_view problem) {
  return problem == "qty" || problem == "dish" || problem == "table" || problem == "json" ||
         problem == "note" || problem == "station";
}

std::string describe(const Injection& in) {
  std::string out = injection_kind_name(in.kind);
  if (!in.target.empty()) out += " " + in.target;
  switch (in.kind) {
    case InjectionKind::kCrashCook:
    case InjectionKind::kCrashCashier:
    case InjectionKind::kCrashBroker:
      if (in.restart_after) {
        out += *in.restart_after == 0 ? " (stays down)"
                                      : " (back after " + format_duration(*in.restart_after) + ")";
      }
      break;
    case InjectionKind::kAddCook:
      if (in.speed != 1.0) out += " speed " + number(in.speed);
      break;
    case InjectionKind::kBadOrder:
      out += " problem=" + in.problem;
      if (!in.dish.empty()) out += " dish=\"" + in.dish + "\"";
      break;
    case InjectionKind::kPoisonOrder:
      if (!in.dish.empty()) out += " dish=\"" + in.dish + "\"";
      break;
    case InjectionKind::kSetRate:
      out += ' ';
      out += number(in.rate);
      out += "/min";
      break;
    case InjectionKind::kSetQueue:
      if (in.queue.durable) out += *in.queue.durable ? " durable=true" : " durable=false";
      if (in.queue.max_length) out += " max_length=" + std::to_string(*in.queue.max_length);
      if (in.queue.ttl) out += " ttl=" + format_duration(*in.queue.ttl);
      if (in.queue.delivery_limit)
        out += " delivery_limit=" + std::to_string(*in.queue.delivery_limit);
      break;
    case InjectionKind::kSlowDisk:
      out += " window=" + format_duration(in.window);
      break;
    case InjectionKind::kAnnounce:
      out += " \"" + in.message + "\"";
      break;
    default:
      break;
  }
  return out;
}

std::string injection_to_toml(const Injection& in) {
  std::ostringstream o;
  o << "[[event]]\n";
  o << "at = \"" << format_duration(in.at < 0 ? 0 : in.at) << "\"\n";
  o << "do = \"" << injection_kind_name(in.kind) << "\"\n";
  switch (in.kind) {
    case InjectionKind::kCrashCook:
    case InjectionKind::kFreezeCook:
    case InjectionKind::kReviveCook:
    case InjectionKind::kRemoveCook:
      o << "cook = " << toml_string(in.target) << "\n";
      break;
    case InjectionKind::kCrashCashier:
    case InjectionKind::kReviveCashier:
      o << "cashier = " << toml_string(in.target) << "\n";
      break;
    case InjectionKind::kAddCook:
      o << "station = " << toml_string(in.target) << "\n";
      if (in.speed != 1.0) o << "speed = " << number(in.speed) << "\n";
      break;
    case InjectionKind::kBadOrder:
      o << "problem = " << toml_string(in.problem) << "\n";
      [[fallthrough]];
    case InjectionKind::kPoisonOrder:
      if (!in.target.empty()) o << "cashier = " << toml_string(in.target) << "\n";
      if (!in.dish.empty()) o << "dish = " << toml_string(in.dish) << "\n";
      break;
    case InjectionKind::kSetRate: {
      std::string r = number(in.rate);
      if (r.find_first_of(".e") == std::string::npos) r += ".0";
      o << "rate = " << r << "\n";
      break;
    }
    case InjectionKind::kSetQueue:
      o << "queue = " << toml_string(in.target) << "\n";
      if (in.queue.durable) o << "durable = " << (*in.queue.durable ? "true" : "false") << "\n";
      if (in.queue.max_length) o << "max_length = " << *in.queue.max_length << "\n";
      if (in.queue.ttl) o << "ttl = \"" << format_duration(*in.queue.ttl) << "\"\n";
      if (in.queue.delivery_limit) o << "delivery_limit = " << *in.queue.delivery_limit << "\n";
      break;
    case InjectionKind::kSlowDisk:
      o << "window = \"" << format_duration(in.window) << "\"\n";
      break;
    case InjectionKind::kAnnounce:
      o << "message = " << toml_string(in.message) << "\n";
      break;
    case InjectionKind::kCrashBroker:
    case InjectionKind::kRestartBroker:
    case InjectionKind::kFillDisk:
    case InjectionKind::kFreeDisk:
      break;
  }
  if (in.restart_after &&
      (in.kind == InjectionKind::kCrashCook || in.kind == InjectionKind::kCrashCashier ||
       in.kind == InjectionKind::kCrashBroker)) {
    o << "restart_after = \"" << format_duration(*in.restart_after) << "\"\n";
  }
  o << "\n";
  return o.str();
}

}  // namespace wmq::sim

#include "sim/duration.h"

#include <cstdint>
#include <cstdio>

namespace wmq::sim {

namespace {

Status not_a_duration(std::string_view text) {
  // Built by appending: g++ 12 -O2 warns (-Wrestrict, a false positive) on
  // "literal" + std::string(...) here.
  std::string m = "\"";
  m.append(text);
  m += "\" is not a duration; write it like \"90s\", \"2m30s\", \"1h\" or \"500ms\"";
  return Status::error(Code::kInvalid, std::move(m));
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

Result<Micros> parse_duration(std::string_view text) {
  if (text.empty()) return not_a_duration(text);
  constexpr Micros kLimit = INT64_MAX / 4;
  size_t i = 0;
  Micros total = 0;
  while (i < text.size()) {
    // <digits>[.<digits>]<unit>
    uint64_t whole = 0;
    size_t digits = 0;
    while (i < text.size() && is_digit(text[i])) {
      whole = whole * 10 + static_cast<uint64_t>(text[i] - '0');
      if (whole > static_cast<uint64_t>(kLimit)) return not_a_duration(text);
      ++i;
      ++digits;
    }
    uint64_t frac = 0;
    uint64_t frac_scale = 1;
    if (i < text.size() && text[i] == '.') {
      ++i;
      size_t frac_digits = 0;
      while (i < text.size() && is_digit(text[i])) {
        if (frac_digits == 9) return not_a_duration(text);
        frac = frac * 10 + static_cast<uint64_t>(text[i] - '0');
        frac_scale *= 10;
        ++i;
        ++frac_digits;
      }
      if (frac_digits == 0) return not_a_duration(text);
    }
    if (digits == 0) return not_a_duration(text);
    Micros unit = 0;
    if (text.substr(i, 2) == "ms") {
      unit = kMillis;
      i += 2;
    } else if (text.substr(i, 2) == "us") {
      unit = 1;
      i += 2;
    } else if (i < text.size() && text[i] == 'h') {
      unit = 3600 * kSeconds;
      i += 1;
    } else if (i < text.size() && text[i] == 'm') {
      unit = 60 * kSeconds;
      i += 1;
    } else if (i < text.size() && text[i] == 's') {
      unit = kSeconds;
      i += 1;
    } else {
      return not_a_duration(text);
    }
    if (whole > static_cast<uint64_t>(kLimit / unit)) return not_a_duration(text);
    const uint64_t frac_us = frac * static_cast<uint64_t>(unit);
    if (frac_us % frac_scale != 0) {
      std::string m = "\"";
      m.append(text);
      m += "\" is finer than a microsecond; virtual time counts whole microseconds";
      return Status::error(Code::kInvalid, std::move(m));
    }
    total += static_cast<Micros>(whole) * unit + static_cast<Micros>(frac_us / frac_scale);
    if (total > kLimit) return not_a_duration(text);
  }
  return total;
}

std::string format_duration(Micros d) {
  if (d == 0) return "0s";
  std::string out;
  if (d < 0) {
    out += '-';
    d = -d;
  }
  if (d < kSeconds) {
    if (d % kMillis == 0) return out + std::to_string(d / kMillis) + "ms";
    return out + std::to_string(d) + "us";
  }
  const Micros hours = d / (3600 * kSeconds);
  d %= 3600 * kSeconds;
  const Micros minutes = d / (60 * kSeconds);
  d %= 60 * kSeconds;
  if (hours > 0) out += std::to_string(hours) + "h";
  if (minutes > 0) out += std::to_string(minutes) + "m";
  if (d > 0) {
    out += std::to_string(d / kSeconds);
    Micros frac = d % kSeconds;
    if (frac > 0) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "%06lld", static_cast<long long>(frac));
      std::string f(buf);
      while (!f.empty() && f.back() == '0')
        f.pop_back();
      out += "." + f;
    }
    out += "s";
  }
  return out;
}

std::string format_countdown(Micros left) {
  if (left <= 0) return "0s";
  return format_duration((left + kSeconds - 1) / kSeconds * kSeconds);
}

std::string format_clock(Micros t) {
  if (t < 0) t = 0;
  const long long total = static_cast<long long>(t / kSeconds);
  const long long h = total / 3600, m = (total / 60) % 60, s = total % 60;
  char buf[32];
  if (h > 0) {
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", h, m, s);
  } else {
    std::snprintf(buf, sizeof buf, "%02lld:%02lld", m, s);
  }
  return buf;
}

}  // namespace wmq::sim

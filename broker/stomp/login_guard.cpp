#include "stomp/login_guard.h"

#include <algorithm>

namespace wmq::stomp {

Micros LoginGuard::on_failure(std::string_view address, Micros now) {
  auto it = records_.find(std::string(address));
  if (it == records_.end()) {
    if (records_.size() >= options_.max_addresses) {
      auto oldest = std::min_element(
          records_.begin(), records_.end(),
          [](const auto& a, const auto& b) { return a.second.last < b.second.last; });
      records_.erase(oldest);
    }
    it = records_.emplace(std::string(address), Record{}).first;
  }
  Record& r = it->second;
  if (r.failures > 0 && now - r.last >= options_.forget_after) r.failures = 0;
  ++r.failures;
  r.last = now;
  if (r.failures <= options_.free_failures) return 0;
  Micros delay = options_.first_delay;
  for (size_t i = options_.free_failures + 1; i < r.failures && delay < options_.max_delay; ++i)
    delay *= 2;
  return std::min(delay, options_.max_delay);
}

size_t LoginGuard::failures(std::string_view address, Micros now) const {
  auto it = records_.find(std::string(address));
  if (it == records_.end() || now - it->second.last >= options_.forget_after) return 0;
  return it->second.failures;
}

std::string_view LoginGuard::host_of(std::string_view peer) {
  const size_t colon = peer.rfind(':');
  if (colon == std::string_view::npos) return peer;
  // A bare IPv6 address without a port has colons but ends inside them.
  if (peer.front() != '[' && peer.find(':') != colon) return peer;
  return peer.substr(0, colon);
}

}  // namespace wmq::stomp

// LoginGuard: slows the answer to logins that keep failing from one address,
// so a classroom cannot guess passcodes at full speed.
//
// The server owns one and lends it to every session. A session records each
// failed CONNECT here and holds its ERROR back for the delay returned, on
// the broker's clock (the loop never sleeps); the client waits for the
// answer, so one guesser gets a handful of tries at full speed and then one
// try per delay. The delay doubles with each failure, up to a bound, and is
// forgotten after a quiet while (a login that succeeds does not reset it:
// a student with a login of their own could else guess another's between
// their own logins).
// At most max_addresses are remembered: the one quiet longest makes room.
//
// Thread-safety: none; it belongs to the loop's thread, like the sessions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "broker/clock.h"

namespace wmq::stomp {

struct LoginGuardOptions {
  size_t free_failures = 3;                  // failures answered at once
  Micros first_delay = 250 * kMillis;        // the delay after the first one past them
  Micros max_delay = 8 * kSeconds;           // the delay never grows past this
  Micros forget_after = 10 * 60 * kSeconds;  // quiet this long: the address starts afresh
  size_t max_addresses = 4096;
};

class LoginGuard {
 public:
  explicit LoginGuard(LoginGuardOptions options = {}) : options_(options) {}

  // Records a failed login from `address` (a host, without its port) at
  // `now`; returns how long to wait before answering it (0: at once).
  Micros on_failure(std::string_view address, Micros now);
  // Failures on record for `address` (0 once forgotten), for tests and stats.
  size_t failures(std::string_view address, Micros now) const;

  // "10.0.0.7:40312" -> "10.0.0.7", "[::1]:5" -> "[::1]": the part a
  // guesser cannot change by reconnecting.
  static std::string_view host_of(std::string_view peer);

 private:
  struct Record {
    size_t failures = 0;
    Micros last = 0;  // when the last failure came
  };
  LoginGuardOptions options_;
  std::unordered_map<std::string, Record> records_;
};

}  // namespace wmq::stomp

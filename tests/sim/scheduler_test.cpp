#include <doctest.h>

#include <vector>

#include "sim/random.h"
#include "sim/scheduler.h"

using namespace wmq;
using namespace wmq::sim;

TEST_CASE("events at the same time run in the order they were scheduled") {
  Scheduler s;
  for (uint32_t i = 0; i < 50; ++i)
    s.push(100, 0, i, 0);
  for (uint32_t i = 0; i < 50; ++i) {
    const Scheduled e = s.pop();
    CHECK(e.who == i);
    CHECK(e.at == 100);
  }
  CHECK(s.empty());
}

TEST_CASE("earlier times first; the late lane runs after the main lane at the same time") {
  Scheduler s;
  s.push(20, 1, 1, 0, Scheduler::kLateLane);
  s.push(20, 1, 2, 0);
  s.push(10, 1, 3, 0, Scheduler::kLateLane);
  s.push(20, 1, 4, 0);
  s.push(5, 1, 5, 0);
  std::vector<uint32_t> order;
  while (!s.empty())
    order.push_back(s.pop().who);
  CHECK(order == std::vector<uint32_t>{5, 3, 2, 4, 1});
}

TEST_CASE("a heap of random times pops sorted by (time, sequence)") {
  Scheduler s;
  Rng r(5);
  for (uint32_t i = 0; i < 5000; ++i)
    s.push(r.uniform_int(0, 200), 0, i, 0);
  Scheduled prev = s.pop();
  while (!s.empty()) {
    const Scheduled e = s.pop();
    REQUIRE((e.at > prev.at || (e.at == prev.at && e.who > prev.who)));
    prev = e;
  }
}

// DirectKitchen: direct mode, the restaurant without a board. Private to
// app/sim/src; a part of Simulation::Impl, which owns it.
//
// A cashier checks the order as the broker's validator would, hands it to a
// free cook of its station (or waits, in that station's line, until one is
// free) and waits until the food is ready. An order a cook holds dies with
// the cook: nothing keeps a copy.
//
// Thread-safety: none; the Simulation's thread calls it.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "sim/simulation.h"

namespace wmq::sim {

class DirectKitchen {
 public:
  explicit DirectKitchen(Simulation::Impl& sim) : sim_(sim) {}

  // One more station (in scenario order), with nobody waiting at it.
  void add_station() { waiting_.emplace_back(); }
  // Cashier `c` has order `c.order` in hand: refuse it, hand it to a free
  // cook, or wait for one.
  void deliver(Cashier& c);
  // Cook `k` finished its order: the food goes to its cashier (or waits at
  // the pass while the cashier is down); then the next waiting order.
  void cook_done(Cook& k);
  // Idle cook `k` takes the first waiting order of its station, if any.
  void next(Cook& k);
  // Cook `k` crashed with an order in hand: that order is lost.
  void lose(Cook& k);
  // Cook `k` leaves cleanly: its order goes back to its cashier, first in line.
  void hand_back(Cook& k);
  // A cook left `station`: its idle cooks look for work.
  void offer_work(uint32_t station);
  // Cashier `c` crashed: it waits for no cook any more.
  void forget_cashier(const Cashier& c);

 private:
  void hand(Cook& k, Cashier& c);

  Simulation::Impl& sim_;
  std::vector<std::deque<uint32_t>> waiting_;  // per station: cashiers waiting for a cook
};

}  // namespace wmq::sim

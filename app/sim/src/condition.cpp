// The conditions scenario events wait for: reading them from a file,
// judging them against the warung, the names they fill into narration.
#include "sim/condition.h"

#include <algorithm>

#include "condition_read.h"

namespace wmq::sim {

namespace {

bool at_work(const Cook& k) {
  return k.state != CookState::kCrashed && k.state != CookState::kRemoved &&
         k.state != CookState::kOffline;
}

// The order a cook has in its hands first (the one on the stove), or 0.
uint32_t first_held(const Cook& k) {
  if (!k.held.empty()) return k.held.front().order;
  return k.direct_order;
}

uint32_t held_count(const Cook& k) {
  return static_cast<uint32_t>(k.held.size()) + (k.direct_order != 0 ? 1u : 0u);
}

const Cook* holder_of(const std::vector<Cook>& cooks, uint32_t order) {
  for (const Cook& k : cooks) {
    if (k.direct_order == order) return &k;
    for (const Ticket& t : k.held) {
      if (t.order == order) return &k;
    }
  }
  return nullptr;
}

std::string plural(uint32_t n, const char* one) {
  return std::to_string(n) + " " + one + (n == 1 ? "" : "s");
}

}  // namespace

const std::vector<std::string>& condition_state_names() {
  static const std::vector<std::string> names = {
      "placing", "on_board", "unacked",       "cooking", "at_pickup",
      "served",  "rejected", "dead_lettered", "expired", "lost"};
  return names;
}

bool condition_state_from_name(const std::string& name, OrderStatus& out) {
  if (name == "unacked") {
    out = OrderStatus::kCooking;
    return true;
  }
  for (uint8_t i = 0; i <= static_cast<uint8_t>(OrderStatus::kLost); ++i) {
    if (name == order_status_name(static_cast<OrderStatus>(i))) {
      out = static_cast<OrderStatus>(i);
      return true;
    }
  }
  return false;
}

std::string describe(const Condition& c) {
  switch (c.kind) {
    case Condition::Kind::kCookHolds:
      return (c.cook == kBusiestCook ? std::string("the busiest cook") : c.cook) +
             " holds at least " + plural(c.at_least, "order");
    case Condition::Kind::kQueueWaiting:
      return (c.at_most ? "at most " + plural(c.at_least, "order")
                        : "at least " + plural(c.at_least, "order")) +
             " wait on " + (c.queue == kBusiestCook ? std::string("the busiest board") : c.queue);
    case Condition::Kind::kQueueRefused:
      return c.queue + " refused at least " + plural(c.at_least, "order") + " at the door";
    case Condition::Kind::kOrderState: {
      if (c.which == Condition::Which::kOldestUnacked) return "an order is unacked";
      std::string who;
      switch (c.which) {
        case Condition::Which::kNumber:
          who = "order " + std::to_string(c.order);
          break;
        case Condition::Which::kAny:
          who = "an order";
          break;
        case Condition::Which::kPoison:
          who = "the poison order";
          break;
        case Condition::Which::kOldestUnacked:
          break;
      }
      std::string out = who;
      if (c.has_state) {
        out += std::string(" is ") +
               (c.state == OrderStatus::kCooking ? "unacked" : order_status_name(c.state));
      }
      if (c.at_least > 0) {
        out += std::string(c.has_state ? " and" : "") + " was delivered at least " +
               plural(c.at_least, "time");
      }
      return out;
    }
  }
  return "";
}

const Cook* busiest_cook(const std::vector<Cook>& cooks) {
  const Cook* best = nullptr;
  for (const Cook& k : cooks) {
    if (!at_work(k)) continue;
    if (best == nullptr || held_count(k) > held_count(*best)) best = &k;
  }
  return best;
}

Pick evaluate(const Condition& c, const WarungState& s) {
  Pick p;
  switch (c.kind) {
    case Condition::Kind::kCookHolds: {
      const Cook* k = nullptr;
      if (c.cook == kBusiestCook) {
        k = busiest_cook(s.cooks);
      } else {
        for (const Cook& x : s.cooks) {
          if (x.name == c.cook) k = &x;
        }
      }
      if (k == nullptr) return p;
      p.cook = k->name;
      p.order = first_held(*k);
      // A crashed or removed cook holds nothing the broker still counts.
      p.holds = at_work(*k) && held_count(*k) >= c.at_least;
      return p;
    }
    case Condition::Kind::kQueueWaiting: {
      const QueueStats* best = nullptr;
      for (const QueueStats& q : s.queues) {
        const bool pick = c.queue == kBusiestCook
                              ? q.station && (best == nullptr || q.depth > best->depth)
                              : q.name == c.queue;
        if (pick) best = &q;
      }
      if (best == nullptr) return p;
      p.queue = best->name;
      p.holds = c.at_most ? best->depth <= c.at_least : best->depth >= c.at_least;
      return p;
    }
    case Condition::Kind::kQueueRefused: {
      for (const QueueStats& q : s.queues) {
        if (q.name != c.queue) continue;
        p.queue = q.name;
        p.holds = q.refused >= c.at_least;
      }
      return p;
    }
    case Condition::Kind::kOrderState: {
      auto matches = [&c](const Order& x) {
        return (!c.has_state || x.status == c.state) && x.deliveries >= c.at_least;
      };
      const Order* o = nullptr;
      switch (c.which) {
        case Condition::Which::kNumber:
          if (c.order <= s.orders.size()) o = &s.orders[c.order - 1];
          break;
        case Condition::Which::kOldestUnacked:
        case Condition::Which::kAny:
          for (const Order& x : s.orders) {
            if (matches(x)) {
              o = &x;
              break;
            }
          }
          break;
        case Condition::Which::kPoison:
          for (const Order& x : s.orders) {
            if (x.special == Special::kPoison) {
              o = &x;
              break;
            }
          }
          break;
      }
      if (o == nullptr) return p;
      p.order = o->number;
      if (const Cook* k = holder_of(s.cooks, o->number)) p.cook = k->name;
      p.holds = matches(*o);
      return p;
    }
  }
  return p;
}

std::string fill_names(const std::string& text, const Pick& pick) {
  if (text.find('{') == std::string::npos) return text;
  const std::string order = pick.order != 0 ? std::to_string(pick.order) : "-";
  const std::pair<const char*, std::string> names[] = {
      {"{cook}", pick.cook.empty() ? "-" : pick.cook},
      {"{order}", order},
      {"{queue}", pick.queue.empty() ? "-" : pick.queue}};
  std::string out;
  for (size_t i = 0; i < text.size();) {
    bool done = false;
    for (const auto& [key, value] : names) {
      if (text.compare(i, std::char_traits<char>::length(key), key) == 0) {
        out += value;
        i += std::char_traits<char>::length(key);
        done = true;
        break;
      }
    }
    if (!done) out += text[i++];
  }
  return out;
}

namespace detail {

Condition read_condition(const Reader& r, const TValue& v, const std::vector<std::string>& cooks,
                         const std::vector<std::string>& stations,
                         const std::vector<std::string>& queues) {
  static const char* kShapes =
      "{ cook = \"grill-1\", holds_at_least = 1 }, { queue = \"wok\", waiting_at_least = 5 } or "
      "{ order = 1, state = \"unacked\" }";
  if (!v.is_table()) {
    r.fail(v, std::string("\"when\" must be a table like ") + kShapes + ", got " +
                  Reader::type_name(v));
  }
  const bool cook = r.find(v, "cook") != nullptr;
  const bool queue = r.find(v, "queue") != nullptr;
  const bool order = r.find(v, "order") != nullptr;
  if (cook + queue + order != 1) {
    r.fail(v,
           std::string("\"when\" waits for one thing: write one of cook, queue or order, as in ") +
               kShapes);
  }
  Condition c;
  if (cook) {
    r.check_keys(v, "\"when\" with a cook", {"cook", "holds_at_least"});
    c.kind = Condition::Kind::kCookHolds;
    c.cook = *r.get_string(v, "cook");
    std::vector<std::string> known = cooks;
    known.push_back(kBusiestCook);
    if (std::find(known.begin(), known.end(), c.cook) == known.end()) {
      r.fail(*r.find(v, "cook"),
             "unknown cook \"" + c.cook + "\" in \"when\"" + suggest(c.cook, known));
    }
    c.at_least = static_cast<uint32_t>(r.get_int(v, "holds_at_least", 1, 1000).value_or(1));
  } else if (queue) {
    r.check_keys(v, "\"when\" with a queue",
                 {"queue", "waiting_at_least", "waiting_at_most", "refused_at_least"});
    c.kind = Condition::Kind::kQueueWaiting;
    c.queue = *r.get_string(v, "queue");
    std::vector<std::string> known = queues;
    known.push_back(kBusiestCook);
    if (std::find(known.begin(), known.end(), c.queue) == known.end()) {
      r.fail(*r.find(v, "queue"),
             "unknown queue \"" + c.queue + "\" in \"when\"" + suggest(c.queue, known));
    }
    const int counts = (r.find(v, "waiting_at_least") != nullptr) +
                       (r.find(v, "waiting_at_most") != nullptr) +
                       (r.find(v, "refused_at_least") != nullptr);
    if (counts > 1) {
      r.fail(v,
             "\"when\" with a queue takes one of waiting_at_least, waiting_at_most or "
             "refused_at_least, not several");
    }
    if (r.find(v, "refused_at_least") != nullptr) {
      if (std::find(stations.begin(), stations.end(), c.queue) == stations.end()) {
        r.fail(*r.find(v, "queue"),
               "only a station's board refuses orders at the door, not \"" + c.queue +
                   "\"; with refused_at_least write queue = " + quoted_list(stations));
      }
      c.kind = Condition::Kind::kQueueRefused;
      c.at_least = static_cast<uint32_t>(*r.get_int(v, "refused_at_least", 1, 1'000'000));
    } else if (r.find(v, "waiting_at_most") != nullptr) {
      c.at_most = true;
      c.at_least = static_cast<uint32_t>(*r.get_int(v, "waiting_at_most", 0, 1'000'000));
    } else {
      c.at_least =
          static_cast<uint32_t>(r.get_int(v, "waiting_at_least", 1, 1'000'000).value_or(1));
    }
  } else {
    r.check_keys(v, "\"when\" with an order", {"order", "state", "delivered_at_least"});
    c.kind = Condition::Kind::kOrderState;
    const TValue& o = *r.find(v, "order");
    if (o.is_string()) {
      const std::string& name = o.as_string().str;
      const std::vector<std::string> names = {kOldestUnacked, kAnyOrder, kPoisonOrder};
      if (name == kOldestUnacked) {
        c.which = Condition::Which::kOldestUnacked;
      } else if (name == kAnyOrder) {
        c.which = Condition::Which::kAny;
      } else if (name == kPoisonOrder) {
        c.which = Condition::Which::kPoison;
      } else {
        r.fail(o,
               "\"order\" is an order number like 1, \"oldest-unacked\", \"any\" or "
               "\"poison\", got \"" +
                   name + "\"" + suggest(name, names));
      }
      c.order = 0;
    } else {
      c.order = static_cast<uint32_t>(*r.get_int(v, "order", 1, 1'000'000));
    }
    const std::string who = c.which == Condition::Which::kNumber
                                ? "order " + std::to_string(c.order)
                                : "order \"" + o.as_string().str + "\"";
    c.at_least = static_cast<uint32_t>(r.get_int(v, "delivered_at_least", 1, 1000).value_or(0));
    const std::optional<std::string> state = r.get_string(v, "state");
    c.has_state = state.has_value() || c.which == Condition::Which::kOldestUnacked;
    if (!state) {
      if (c.which != Condition::Which::kOldestUnacked && c.at_least == 0) {
        r.fail(v, "\"when\" with " + who +
                      " needs what it waits for: the state, like state = \"unacked\", or "
                      "the deliveries, like delivered_at_least = 2");
      }
    } else if (!condition_state_from_name(*state, c.state)) {
      r.fail(*r.find(v, "state"), "\"state\" \"" + *state + "\" is not a state an order has" +
                                      suggest(*state, condition_state_names()));
    } else if (c.which == Condition::Which::kOldestUnacked && c.state != OrderStatus::kCooking) {
      r.fail(*r.find(v, "state"),
             "order \"oldest-unacked\" is always unacked; leave \"state\" out, or write "
             "order = \"any\" for the first order that is " +
                 *state);
    }
  }
  return c;
}

void check_names(const Reader& r, const TValue& at, const std::string& key, const std::string& text,
                 bool can_cook, bool can_order, bool can_queue) {
  for (size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
    const size_t close = text.find('}', open);
    if (close == std::string::npos) return;  // a lone brace is just text
    const std::string name = text.substr(open + 1, close - open - 1);
    const bool known = name == "cook" || name == "order" || name == "queue";
    if (!known) {
      if (name.empty() || name.find_first_of(" {") != std::string::npos) continue;
      r.fail(at, "\"" + key + "\" uses {" + name + "}, a name the simulator cannot fill" +
                     suggest(name, {"cook", "order", "queue"}));
    }
    const bool fillable = (name == "cook" && can_cook) || (name == "order" && can_order) ||
                          (name == "queue" && can_queue);
    if (!fillable) {
      r.fail(at, "\"" + key + "\" uses {" + name + "} but this event picks no " + name +
                     "; give it a \"when\" that waits for a " + name +
                     (name == "queue" ? "" : " (or a cook = target)"));
    }
  }
}

}  // namespace detail

}  // namespace wmq::sim

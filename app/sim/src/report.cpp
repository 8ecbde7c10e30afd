// The report: what a run amounts to (Simulation::Impl::report, with the
// judging of the scenario's expectations) and its text, JSON and Markdown forms.
#include "sim/report.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sim/duration.h"
#include "simulation_impl.h"

namespace wmq::sim {

namespace {

// Live runs say so, en then id, in every format.
constexpr const char* kLiveEn =
    "Live run: STOMP clients could join, so the virtual clock followed the wall clock; "
    "this run is not deterministic (the same seed gives another run).";
constexpr const char* kLiveId =
    "Jalankan langsung: klien STOMP bisa ikut, jadi jam virtual mengikuti jam dinding; "
    "jalannya tidak deterministik (seed yang sama memberi jalannya yang lain).";

}  // namespace

bool Report::all_ok() const {
  for (const ExpectationResult& e : expectations) {
    if (!e.ok) return false;
  }
  return true;
}

int64_t Report::figure(const std::string& name) const {
  const std::pair<const char*, uint64_t> figures[] = {
      {"placed", placed},           {"confirmed", confirmed},
      {"rejected", rejected},       {"delivered", delivered},
      {"redelivered", redelivered}, {"cooked", cooked},
      {"served", served},           {"dead_lettered", dead_lettered},
      {"expired", expired},         {"lost", lost},
      {"duplicates", duplicates},   {"in_flight", in_flight},
      {"late_acks", late_acks},     {"crashes", crashes},
      {"recoveries", recoveries},   {"group_commits", group_commits},
      {"customers", customers},     {"retries", retries},
  };
  for (const auto& [n, v] : figures) {
    if (name == n) return static_cast<int64_t>(v);
  }
  if (name == "announcements") return static_cast<int64_t>(announcements);
  if (name == "unplaced") return static_cast<int64_t>(customers > placed ? customers - placed : 0);
  if (name == "board_peak" || name == "board_final") {
    // The station boards: every queue but pickup and the dead letters.
    uint64_t v = 0;
    for (const QueueReport& q : queues) {
      if (q.name == "pickup" || q.name == "dead-letters") continue;
      v = name == "board_peak" ? std::max(v, q.max_depth) : v + q.final_depth;
    }
    return static_cast<int64_t>(v);
  }
  if (name == "latency_p50") return latency_p50;
  if (name == "latency_p90") return latency_p90;
  if (name == "latency_p99") return latency_p99;
  if (name == "latency_max") return latency_max;
  return 0;
}

std::string expectation_point(const std::string& name) {
  if (name.rfind("queue.", 0) == 0) return "queue";
  if (name != "max_waiting" && (name.rfind("min_", 0) == 0 || name.rfind("max_", 0) == 0))
    return name.substr(4);
  return name;
}

std::string report_json(const Report& r) {
  using J = nlohmann::ordered_json;
  J j;
  j["scenario"] = r.scenario;
  j["seed"] = r.seed;
  j["mode"] = mode_name(r.mode);
  j["virtual_seconds"] = static_cast<double>(r.virtual_time) / 1e6;
  J orders;
  orders["placed"] = r.placed;
  orders["confirmed"] = r.confirmed;
  orders["rejected"] = r.rejected;
  orders["delivered"] = r.delivered;
  orders["redelivered"] = r.redelivered;
  orders["cooked"] = r.cooked;
  orders["served"] = r.served;
  orders["dead_lettered"] = r.dead_lettered;
  orders["expired"] = r.expired;
  orders["lost"] = r.lost;
  orders["duplicates"] = r.duplicates;
  orders["in_flight"] = r.in_flight;
  orders["late_acks"] = r.late_acks;
  orders["customers"] = r.customers;
  orders["retries"] = r.retries;
  if (r.live) {
    // Only in live runs, so a deterministic run's report keeps its bytes.
    orders["external_delivered"] = r.external_delivered;
    orders["external_cooked"] = r.external_cooked;
    orders["external_returned"] = r.external_returned;
    orders["external_sent"] = r.external_sent;
    orders["external_rejected"] = r.external_rejected;
  }
  j["orders"] = orders;
  if (r.live) {
    j["live"] = J{{"deterministic", false},
                  {"en", kLiveEn},
                  {"id", kLiveId},
                  {"external_cooks", r.external_cooks},
                  {"external_cashiers", r.external_cashiers}};
  }
  j["broker"] =
      J{{"crashes", r.crashes}, {"recoveries", r.recoveries}, {"group_commits", r.group_commits}};
  j["latency_ms"] = J{{"order_to_served", J{{"p50", r.latency_p50 / kMillis},
                                            {"p90", r.latency_p90 / kMillis},
                                            {"p99", r.latency_p99 / kMillis},
                                            {"max", r.latency_max / kMillis}}}};
  J queues = J::object();
  for (const QueueReport& q : r.queues) {
    queues[q.name] =
        J{{"max_depth", q.max_depth}, {"final_depth", q.final_depth}, {"durable", q.durable}};
  }
  j["queues"] = queues;
  J ex = J::array();
  for (const ExpectationResult& e : r.expectations)
    ex.push_back(J{{"name", e.name}, {"ok", e.ok}, {"detail", e.detail}});
  j["expectations"] = ex;
  if (!r.notes.empty()) j["notes"] = r.notes;
  return j.dump(2) + "\n";
}

namespace {

std::string pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string result_line(const Report& r) {
  size_t failed = 0;
  for (const ExpectationResult& e : r.expectations)
    failed += e.ok ? 0 : 1;
  const size_t n = r.expectations.size();
  if (n == 0) return "no expectations to check";
  if (failed == 0)
    return n == 1 ? "the expectation holds" : "all " + std::to_string(n) + " expectations hold";
  return std::to_string(failed) + " of " + std::to_string(n) + " expectation" +
         (n == 1 ? "" : "s") + " failed";
}

// Latencies to the second: people read minutes, not microseconds.
std::string seconds(Micros d) {
  return format_duration((d + kSeconds / 2) / kSeconds * kSeconds);
}

std::string external_line(const Report& r) {
  return "STOMP clients: " + std::to_string(r.external_cooks) + " cook(s) took " +
         std::to_string(r.external_delivered) + " and cooked " + std::to_string(r.external_cooked) +
         " (" + std::to_string(r.external_returned) + " back on the board); " +
         std::to_string(r.external_cashiers) + " cashier(s) sent " +
         std::to_string(r.external_sent) + " (" + std::to_string(r.external_rejected) +
         " rejected)";
}

std::string order_sum(const Report& r) {
  return "placed " + std::to_string(r.placed) + " = served " + std::to_string(r.served) +
         " + in flight " + std::to_string(r.in_flight) + " + rejected " +
         std::to_string(r.rejected) + " + dead-lettered " + std::to_string(r.dead_lettered) +
         " + expired " + std::to_string(r.expired) + " + lost " + std::to_string(r.lost);
}

// A titled block of the lesson's text, English then Indonesian; nothing when it has neither.
void text_block(std::ostringstream& o, const char* heading, const Text& t) {
  if (t.en.empty() && t.id.empty()) return;
  o << "\n" << heading << "\n";
  if (!t.en.empty()) o << "  en: " << t.en << "\n";
  if (!t.id.empty()) o << "  id: " << t.id << "\n";
}

// The same as Markdown: the English line, then the Indonesian one in italics.
void markdown_lines(std::ostringstream& o, const Text& t) {
  if (!t.en.empty()) o << t.en << "\n\n";
  if (!t.id.empty()) o << "*" << t.id << "*\n\n";
}

}  // namespace

std::string report_text(const Report& r) {
  std::ostringstream o;
  o << "WarungMQ run: " << r.scenario;
  if (!r.title.en.empty()) o << " - " << r.title.en;
  o << "\n";
  if (!r.title.id.empty()) o << "              " << r.title.id << "\n";
  o << "file " << r.file << ", seed " << r.seed << ", " << mode_name(r.mode) << " mode, "
    << format_duration(r.virtual_time) << " of virtual time\n";
  if (r.live) o << "en: " << kLiveEn << "\nid: " << kLiveId << "\n";
  text_block(o, "Watch this", r.watch);

  if (!r.timeline.empty()) {
    o << "\nWhat happened\n";
    for (const NarrationLine& l : r.timeline) {
      std::string head = "  " + pad(format_clock(l.at), 7);
      bool first = true;
      if (!l.action.empty()) {
        o << head << l.action << "\n";
        first = false;
      }
      if (!l.say.en.empty()) {
        o << (first ? head : std::string(9, ' ')) << "en: " << l.say.en << "\n";
        first = false;
      }
      if (!l.say.id.empty()) {
        o << (first ? head : std::string(9, ' ')) << "id: " << l.say.id << "\n";
        first = false;
      }
      if (!l.late.empty()) o << (first ? head : std::string(9, ' ')) << "late: " << l.late << "\n";
    }
  }

  o << "\nOrders\n";
  o << "  " << order_sum(r) << "\n";
  o << "  customers " << r.customers << ", confirmed " << r.confirmed << ", retries " << r.retries
    << "\n";
  o << "  delivered " << r.delivered << " (" << r.redelivered << " redelivered), cooked "
    << r.cooked << " (" << r.duplicates << " duplicate" << (r.duplicates == 1 ? "" : "s")
    << "), late acks refused " << r.late_acks << "\n";
  if (r.live) o << "  " << external_line(r) << "\n";
  o << "  order to served: p50 " << seconds(r.latency_p50) << ", p90 " << seconds(r.latency_p90)
    << ", p99 " << seconds(r.latency_p99) << ", max " << seconds(r.latency_max) << "\n";
  if (r.mode == Mode::kBroker) {
    o << "\nBroker\n";
    o << "  crashes " << r.crashes << ", recoveries " << r.recoveries << ", group commits "
      << r.group_commits << "\n";
    o << "\nQueues\n";
    for (const QueueReport& q : r.queues) {
      o << "  " << pad(q.name, 14) << pad(q.durable ? "durable" : "transient", 11) << "peak "
        << q.max_depth << ", at the end " << q.final_depth << "\n";
    }
  }
  for (const std::string& n : r.notes)
    o << "\nNote: " << n << "\n";
  text_block(o, "Question for the class", r.question);
  text_block(o, "Answer", r.answer);
  if (!r.expectations.empty()) {
    o << "\nExpectations\n";
    for (const ExpectationResult& e : r.expectations)
      o << "  " << (e.ok ? "ok    " : "FAIL  ") << e.name << ": " << e.detail << "\n";
  }
  o << "\nResult: " << result_line(r) << "\n";
  return o.str();
}

std::string report_markdown(const Report& r) {
  std::ostringstream o;
  o << "# " << (r.title.en.empty() ? r.scenario : r.title.en) << "\n\n";
  if (!r.title.id.empty()) o << "*" << r.title.id << "*\n\n";
  o << "Scenario `" << r.scenario << "` (`" << r.file << "`), seed " << r.seed << ", "
    << mode_name(r.mode) << " mode, " << format_duration(r.virtual_time) << " of virtual time.\n\n";
  if (r.live) o << "> " << kLiveEn << "\n>\n> *" << kLiveId << "*\n\n";
  if (!r.watch.en.empty() || !r.watch.id.empty()) {
    o << "## Watch this\n\n";
    markdown_lines(o, r.watch);
  }
  if (!r.timeline.empty()) {
    o << "## What happened\n\n";
    o << "| time | event | English | Bahasa Indonesia |\n";
    o << "| --- | --- | --- | --- |\n";
    for (const NarrationLine& l : r.timeline) {
      o << "| " << format_clock(l.at) << " | " << (l.action.empty() ? "" : "`" + l.action + "`")
        << " | " << l.say.en << " | " << l.say.id << " |\n";
    }
    o << "\n";
  }
  o << "## Orders\n\n";
  o << "| figure | value |\n| --- | --- |\n";
  const std::pair<const char*, uint64_t> rows[] = {
      {"placed", r.placed},
      {"confirmed", r.confirmed},
      {"rejected", r.rejected},
      {"delivered", r.delivered},
      {"redelivered", r.redelivered},
      {"cooked", r.cooked},
      {"served", r.served},
      {"dead-lettered", r.dead_lettered},
      {"expired", r.expired},
      {"lost", r.lost},
      {"duplicates", r.duplicates},
      {"in flight", r.in_flight},
      {"late acks refused", r.late_acks},
  };
  for (const auto& [name, v] : rows)
    o << "| " << name << " | " << v << " |\n";
  o << "\n" << order_sum(r) << ".\n\n";
  if (r.live) o << external_line(r) << ".\n\n";
  o << "Order to served: p50 " << seconds(r.latency_p50) << ", p90 " << seconds(r.latency_p90)
    << ", p99 " << seconds(r.latency_p99) << ", max " << seconds(r.latency_max) << ".\n\n";
  if (r.mode == Mode::kBroker) {
    o << "## Broker\n\n";
    o << "Crashes " << r.crashes << ", recoveries " << r.recoveries << ", group commits "
      << r.group_commits << ".\n\n";
    o << "| queue | kind | peak | at the end |\n| --- | --- | --- | --- |\n";
    for (const QueueReport& q : r.queues) {
      o << "| " << q.name << " | " << (q.durable ? "durable" : "transient") << " | " << q.max_depth
        << " | " << q.final_depth << " |\n";
    }
    o << "\n";
  }
  for (const std::string& n : r.notes)
    o << "> Note: " << n << "\n\n";
  if (!r.question.en.empty() || !r.question.id.empty()) {
    o << "## Question for the class\n\n";
    markdown_lines(o, r.question);
    if (!r.answer.en.empty() || !r.answer.id.empty()) {
      // Folded, so a handout can be read with the question first.
      o << "<details><summary>Answer / Jawaban</summary>\n\n";
      markdown_lines(o, r.answer);
      o << "</details>\n\n";
    }
  }
  if (!r.expectations.empty()) {
    o << "## Expectations\n\n";
    for (const ExpectationResult& e : r.expectations)
      o << "- " << (e.ok ? "[x] " : "[ ] **FAILED** ") << "`" << e.name << "`: " << e.detail
        << "\n";
    o << "\n";
  }
  o << "**Result:** " << result_line(r) << ".\n";
  return o.str();
}

namespace {

std::string order_list(const std::vector<uint32_t>& orders) {
  std::string out;
  for (size_t i = 0; i < orders.size() && i < 5; ++i)
    out += (i ? ", " : "") + std::to_string(orders[i]);
  if (orders.size() > 5) out += ", ...";
  return out;
}

std::string figure_text(const std::string& figure, int64_t v) {
  if (is_duration_figure(figure)) return format_duration(v);
  return std::to_string(v);
}

uint32_t record_order(const MessageRecord& m) {
  for (const Header& h : m.headers) {
    if (h.name == "order") return static_cast<uint32_t>(std::strtoul(h.value.c_str(), nullptr, 10));
  }
  return 0;
}

// Judges one expectation against the report's figures (`lost`: the numbers
// of the lost orders, for the message; `now`: when the run stands).
ExpectationResult judge(const Expectation& e, const Report& r, const std::vector<Order>& orders,
                        const std::vector<uint32_t>& lost, Micros now, size_t pending) {
  ExpectationResult x;
  x.name = e.name;
  switch (e.kind) {
    case Expectation::Kind::kMin: {
      const int64_t v = r.figure(e.figure);
      x.ok = v >= e.value;
      x.detail = e.figure + " " + figure_text(e.figure, v) + ", expected at least " +
                 figure_text(e.figure, e.value);
      break;
    }
    case Expectation::Kind::kMax: {
      const int64_t v = r.figure(e.figure);
      x.ok = v <= e.value;
      x.detail = e.figure + " " + figure_text(e.figure, v) + ", expected at most " +
                 figure_text(e.figure, e.value);
      break;
    }
    case Expectation::Kind::kEventsOnTime: {
      size_t late = 0;
      for (const NarrationLine& l : r.timeline)
        late += l.late.empty() ? 0 : 1;
      x.ok = late == 0 && pending == 0;
      x.detail = x.ok ? "every event that waits came on its moment"
                      : std::to_string(late) + " fired at its deadline, " +
                            std::to_string(pending) + " still waiting (see the notes)";
      break;
    }
    case Expectation::Kind::kNoConfirmedLost:
      x.ok = r.lost == 0;
      x.detail = r.lost == 0 ? "no confirmed order was lost"
                             : std::to_string(r.lost) + " confirmed order" +
                                   (r.lost == 1 ? " was" : "s were") + " lost (order" +
                                   (r.lost == 1 ? " " : "s ") + order_list(lost) + ")";
      break;
    case Expectation::Kind::kMaxWaiting: {
      int64_t waited = 0;
      for (const Order& o : orders) {
        Micros w = -1;
        if (o.served > 0) {
          w = o.served_at - o.placed_at;
        } else if (!o.rejected && !o.dead_lettered && !o.expired) {
          w = now - o.placed_at;  // still waiting (in flight or lost)
        }
        if (w > e.over) ++waited;
      }
      x.ok = waited <= e.value;
      x.detail = std::to_string(waited) + " order" + (waited == 1 ? "" : "s") + " waited over " +
                 format_duration(e.over) + ", expected at most " + std::to_string(e.value);
      break;
    }
    case Expectation::Kind::kQueueMinPeak:
    case Expectation::Kind::kQueueMaxPeak:
    case Expectation::Kind::kQueueMaxFinal: {
      uint64_t peak = 0, final_depth = 0;
      for (const QueueReport& q : r.queues) {
        if (q.name == e.queue) {
          peak = q.max_depth;
          final_depth = q.final_depth;
        }
      }
      const auto v = static_cast<uint64_t>(e.value);
      if (e.kind == Expectation::Kind::kQueueMinPeak) {
        x.ok = peak >= v;
        x.detail = "queue " + e.queue + " peaked at " + std::to_string(peak) +
                   " waiting, expected at least " + std::to_string(v);
      } else if (e.kind == Expectation::Kind::kQueueMaxPeak) {
        x.ok = peak <= v;
        x.detail = "queue " + e.queue + " peaked at " + std::to_string(peak) +
                   " waiting, expected at most " + std::to_string(v);
      } else {
        x.ok = final_depth <= v;
        x.detail = "queue " + e.queue + " ends with " + std::to_string(final_depth) +
                   " waiting, expected at most " + std::to_string(v);
      }
      break;
    }
  }
  return x;
}

}  // namespace

Report Simulation::Impl::report() const {
  Report r;
  r.scenario = sc_.name;
  r.file = sc_.file;
  r.title = sc_.title;
  r.watch = sc_.watch;
  r.question = sc_.question;
  r.answer = sc_.answer;
  r.seed = opt_.seed;
  r.mode = sc_.mode;
  r.virtual_time = now();
  r.placed = counters_.placed;
  r.confirmed = counters_.confirmed;
  r.delivered = counters_.delivered;
  r.redelivered = counters_.redelivered;
  r.cooked = counters_.cooked;
  r.duplicates = counters_.duplicates;
  r.late_acks = counters_.late_acks;
  r.customers = counters_.customers;
  r.retries = counters_.retries;
  r.crashes = counters_.crashes;
  r.recoveries = counters_.recoveries;
  r.group_commits = counters_.group_commits;
  r.announcements = counters_.announcements;
  r.live = live_.on();
  r.external_delivered = counters_.external_delivered;
  r.external_cooked = counters_.external_cooked;
  r.external_returned = counters_.external_returned;
  r.external_sent = counters_.external_sent;
  r.external_rejected = counters_.external_rejected;
  for (const ExternalClient& x : live_.externals()) {
    if (x.role == ExternalRole::kCook) ++r.external_cooks;
    if (x.role == ExternalRole::kCashier) ++r.external_cashiers;
  }

  // Where is every order now? Held by a person, in the broker, or gone.
  std::vector<uint8_t> held(orders_.size() + 1, 0);
  for (const Cashier& c : cashiers_) {
    if (c.order != 0) held[c.order] = 1;
    for (uint32_t n : c.pending)
      held[n] = 1;
    if (c.handing != 0) held[c.handing] = 1;
    for (const FoodTicket& f : c.food)
      held[f.order] = 1;
  }
  for (const Cook& k : cooks_) {
    if (k.direct_order != 0) held[k.direct_order] = 1;
  }
  if (sc_.mode == Mode::kBroker && !broker_) {
    // The broker is down: what its file holds comes back at the restart.
    std::vector<MessageRecord> on_disk;
    if (disk_) {
      for (const auto& [key, m] : disk_->messages)
        on_disk.push_back(m);
    }
    if (opt_.storage == Storage::kSqlite) {
      // A look at the file, as a restart would see it; nothing is written.
      // The broker owned its Store and died with it (that is the crash), so
      // the file is the only place that knows which orders will come back:
      // without this look they would count as lost, and a later restart
      // would bring them back from the dead.
      Result<std::unique_ptr<Store>> st = Store::open(data_path_);
      if (st.is_ok()) {
        Result<Recovered> rec = st.value()->recover();
        if (rec.is_ok()) on_disk = std::move(rec.value().messages);
      }
    }
    for (const MessageRecord& m : on_disk) {
      const uint32_t n = record_order(m);
      if (n != 0 && n <= orders_.size()) held[n] = 1;
    }
  }
  std::vector<uint32_t> lost;
  for (const Order& o : orders_) {
    if (o.served > 0) {
      ++r.served;
    } else if (o.copies > 0 || o.food > 0 || held[o.number]) {
      ++r.in_flight;
    } else if (o.dead_lettered) {
      ++r.dead_lettered;
    } else if (o.expired) {
      ++r.expired;
    } else if (o.rejected) {
      ++r.rejected;
    } else {
      ++r.lost;
      lost.push_back(o.number);
      if (!o.confirmed) {
        r.notes.push_back("order " + std::to_string(o.number) +
                          " vanished without ever being confirmed");
      }
    }
  }

  std::vector<Micros> lat = latencies_;
  std::sort(lat.begin(), lat.end());
  auto pct = [&lat](uint32_t p) -> Micros {
    if (lat.empty()) return 0;
    const size_t rank = (lat.size() * p + 99) / 100;  // nearest rank
    return lat[std::max<size_t>(rank, 1) - 1];
  };
  r.latency_p50 = pct(50);
  r.latency_p90 = pct(90);
  r.latency_p99 = pct(99);
  r.latency_max = lat.empty() ? 0 : lat.back();

  for (const QueueStats& q : ledger_.queues())
    r.queues.push_back(QueueReport{q.name, q.max_depth, q.depth, q.durable});

  // The timeline so far: the scenario's events and the injections, by time.
  for (const TimelineEvent& te : fired_) {
    r.timeline.push_back(
        NarrationLine{te.at, te.action ? describe(*te.action) : "", te.say, te.late});
    if (!te.late.empty()) {
      r.notes.push_back("the event at line " + std::to_string(te.line) + " fired late, at " +
                        format_duration(te.at) + ": it " + te.late);
    }
  }
  for (uint32_t i : waiting_) {
    const TimelineEvent& te = sc_.timeline[i];
    r.notes.push_back("the event at line " + std::to_string(te.line) + " has not fired: since " +
                      format_duration(te.at) + " it waits until " + describe(*te.when));
  }
  for (const Injection& in : injections_) {
    if (in.at > now()) continue;
    r.timeline.push_back(NarrationLine{in.at, describe(in), Text{}, ""});
  }
  std::stable_sort(r.timeline.begin(), r.timeline.end(),
                   [](const NarrationLine& a, const NarrationLine& b) { return a.at < b.at; });

  for (const Expectation& e : sc_.expect)
    r.expectations.push_back(judge(e, r, orders_, lost, now(), waiting_.size()));
  if (!broker_error_.empty()) r.notes.push_back("the broker could not restart: " + broker_error_);
  if (!live_.server_error().empty())
    r.notes.push_back("STOMP clients could not reconnect after the restart: " +
                      live_.server_error());
  return r;
}

}  // namespace wmq::sim

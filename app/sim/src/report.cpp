#include "sim/report.h"

#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sim/duration.h"

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
  if (name == "latency_p50") return latency_p50;
  if (name == "latency_p90") return latency_p90;
  if (name == "latency_p99") return latency_p99;
  if (name == "latency_max") return latency_max;
  return 0;
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
      }
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

}  // namespace wmq::sim

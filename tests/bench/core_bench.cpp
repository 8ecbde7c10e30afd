// Broker core figures: in-process publish -> deliver -> ack, with and without
// a listener, and the memory a queued message costs beyond its body.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "bench.h"
#include "broker/broker.h"

namespace {

using namespace wmq;

// Keeps delivery tags and acks them in one sweep, the way a consumer with a
// prefetch window works through its batch.
struct Consumer : SessionSink {
  std::vector<DeliveryTag> tags;
  void on_delivery(const Delivery& d) override { tags.push_back(d.tag); }
};

struct Counter : EventListener {
  uint64_t n = 0;
  void on_event(const Event&) override { ++n; }
};

void e2e(benchmark::State& state, bool observed) {
  ManualClock clock;
  Broker b(clock);
  Counter counter;
  if (observed) b.add_listener(&counter);
  Consumer consumer;
  SessionId pub = b.open_session(SessionOptions{"producer", 0, 0}, nullptr);
  SessionId con = b.open_session(SessionOptions{"consumer", 0, 0}, &consumer);
  (void)b.connected(pub);
  (void)b.connected(con);
  (void)b.declare_queue("q", {});
  (void)b.subscribe(con, "q", ConsumeOptions{256, false});
  Message m;
  m.body.assign(200, 'x');
  m.routing_key = "q";
  consumer.tags.reserve(256);
  for (auto _ : state) {
    if (!b.publish(pub, "", m).is_ok()) state.SkipWithError("publish failed");
    if (consumer.tags.size() == 256) {
      for (DeliveryTag t : consumer.tags)
        (void)b.ack(con, t);
      consumer.tags.clear();
    }
  }
  state.SetItemsProcessed(state.iterations());
  benchmark::DoNotOptimize(counter.n);
}

void BM_core_e2e(benchmark::State& state) {
  e2e(state, false);
}
void BM_core_e2e_observed(benchmark::State& state) {
  e2e(state, true);
}
BENCHMARK(BM_core_e2e)->Repetitions(5)->ReportAggregatesOnly(true)->MinTime(0.5);
BENCHMARK(BM_core_e2e_observed)->Repetitions(5)->ReportAggregatesOnly(true)->MinTime(0.5);

// Collects the median items/s of each benchmark.
class MedianReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      if (r.aggregate_name != "median") continue;
      auto it = r.counters.find("items_per_second");
      if (it != r.counters.end()) medians[r.run_name.function_name] = it->second.value;
    }
  }
  std::map<std::string, double> medians;
};

// Heap bytes per ready message beyond its body, with 1,000,000 queued.
double bytes_per_queued_msg() {
  constexpr size_t kCount = 1'000'000;
  constexpr size_t kBody = 200;
  ManualClock clock;
  Broker b(clock);
  SessionId pub = b.open_session(SessionOptions{"producer", 0, 0}, nullptr);
  (void)b.connected(pub);
  (void)b.declare_queue("q", {});
  Message m;
  m.body.assign(kBody, 'x');
  m.routing_key = "q";
  malloc_trim(0);
  const size_t before = mallinfo2().uordblks;
  for (size_t i = 0; i < kCount; ++i)
    (void)b.publish(pub, "", m);
  const size_t after = mallinfo2().uordblks;
  return (static_cast<double>(after - before) - static_cast<double>(kCount * kBody)) / kCount;
}

const bool registered = wmq::bench::add_section("core", [](nlohmann::json& out) {
  int argc = 2;
  char arg0[] = "wmq_bench";
  char arg1[] = "--benchmark_color=false";
  char* argv[] = {arg0, arg1, nullptr};
  benchmark::Initialize(&argc, argv);
  MedianReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter, "BM_core_.*");
  out["core_e2e_msgs_per_s"] = static_cast<int64_t>(reporter.medians["BM_core_e2e"]);
  out["core_e2e_observed_msgs_per_s"] =
      static_cast<int64_t>(reporter.medians["BM_core_e2e_observed"]);
  std::vector<double> mem;
  for (int i = 0; i < 3; ++i)
    mem.push_back(bytes_per_queued_msg());
  out["core_bytes_per_queued_msg"] = static_cast<int64_t>(wmq::bench::median(mem) + 0.5);
  std::printf("core: e2e %.0f msgs/s, observed %.0f msgs/s, %.1f bytes per queued message\n",
              reporter.medians["BM_core_e2e"], reporter.medians["BM_core_e2e_observed"],
              wmq::bench::median(mem));
});

}  // namespace

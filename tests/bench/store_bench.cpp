// store_bench: rates of the broker's Store on this machine's disk.
//
//   store_bench [--runs N] [--dir DIR] [--only insert|ackflow|recover]
//               [--batch N] [--recover-rows N]
//
// insert   200-byte messages in batches of 1, 10, 100, 1000, 10000 (or only
//          --batch N), one commit each at synchronous=FULL: rows/s
//          confirmed, commit latency.
// ackflow  publish then ack in separate batches, as the broker runs: each
//          commit inserts a new batch and removes the previous one. msgs/s
//          counts messages both stored and deleted.
// recover  a file of N 200-byte messages (default 1,000,000): open() (with its
//          quick_check) and recover() timed apart, and a plain ordered SELECT
//          over the same file for comparison.
// Each figure is the median of N runs (default 3), with the slowest and
// fastest beside it: the fsync rate of a shared disk swings from run to run.
// Only Store calls are timed; building the payloads is not.
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "broker/store.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  return v[i];
}

std::string body_for(wmq::MessageId id) {
  std::string body =
      R"({"dish":"nasi goreng","table":4,"order":)" + std::to_string(id) + ",\"note\":\"";
  body.resize(198, 'x');
  return body + "\"}";
}

wmq::PayloadRef make_payload(wmq::MessageId id) {
  const std::string body = body_for(id);
  wmq::Payload::Fields f;
  f.id = id;
  f.body = body;
  f.routing_key = "grill";
  f.content_type = "application/json";
  f.persistent = true;
  return wmq::PayloadRef::adopt(wmq::Payload::make(f));
}

std::unique_ptr<wmq::Store> open_or_die(const std::string& path) {
  auto r = wmq::Store::open(path);
  if (!r.is_ok()) {
    std::fprintf(stderr, "store_bench: %s\n", r.status().message().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

void commit_or_die(wmq::Store& store) {
  wmq::Status s = store.commit();
  if (!s.is_ok()) {
    std::fprintf(stderr, "store_bench: %s\n", s.message().c_str());
    std::exit(1);
  }
}

void remove_store_files(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", ".lock"})
    fs::remove(path + suffix);
}

struct RunResult {
  double rate = 0;    // rows or messages per second
  double p50_ms = 0;  // commit latency
  double p99_ms = 0;
};

size_t rows_for(size_t batch) {
  if (batch == 1) return 3000;
  if (batch == 10) return 20000;
  if (batch == 100) return 100000;
  return 300000;
}

// Inserts `rows` messages in batches of `batch`, each committed.
RunResult insert_run(const std::string& path, size_t batch) {
  remove_store_files(path);
  auto store = open_or_die(path);
  const size_t rows = rows_for(batch);
  std::vector<wmq::PayloadRef> payloads;
  std::vector<double> commit_ms;
  double busy = 0;
  wmq::MessageId next = 1;
  for (size_t done = 0; done < rows; done += batch) {
    payloads.clear();
    for (size_t i = 0; i < batch; ++i)
      payloads.push_back(make_payload(next++));
    const auto start = Clock::now();
    for (const auto& p : payloads)
      store->insert_message(1, p, wmq::kNever, 0);
    const auto commit_start = Clock::now();
    commit_or_die(*store);
    commit_ms.push_back(seconds_since(commit_start) * 1e3);
    busy += seconds_since(start);
  }
  return {static_cast<double>(rows) / busy, percentile(commit_ms, 0.5),
          percentile(commit_ms, 0.99)};
}

// Each commit publishes `batch` new messages and acks the previous batch.
RunResult ackflow_run(const std::string& path, size_t batch) {
  remove_store_files(path);
  auto store = open_or_die(path);
  const size_t messages = rows_for(batch);
  std::vector<wmq::PayloadRef> payloads;
  std::vector<double> commit_ms;
  double busy = 0;
  wmq::MessageId next = 1;
  wmq::MessageId acked = 1;  // the first id not yet acked
  for (size_t done = 0; done <= messages; done += batch) {
    payloads.clear();
    const bool publish = done < messages;
    if (publish) {
      for (size_t i = 0; i < batch; ++i)
        payloads.push_back(make_payload(next++));
    }
    const auto start = Clock::now();
    const wmq::MessageId ack_end = done == 0 ? 1 : next - (publish ? batch : 0);
    for (; acked < ack_end; ++acked)
      store->remove_message(1, acked);
    for (const auto& p : payloads)
      store->insert_message(1, p, wmq::kNever, 0);
    const auto commit_start = Clock::now();
    commit_or_die(*store);
    commit_ms.push_back(seconds_since(commit_start) * 1e3);
    busy += seconds_since(start);
  }
  return {static_cast<double>(messages) / busy, percentile(commit_ms, 0.5),
          percentile(commit_ms, 0.99)};
}

template <typename Run>
void table(const char* title, const char* unit, const std::string& path, int runs,
           const std::vector<size_t>& batches, Run run) {
  std::printf("\n%s (median of %d runs; commit latency of the median run)\n", title, runs);
  std::printf("%8s %12s %12s %12s %10s %10s\n", "batch", unit, "slowest", "fastest", "p50 ms",
              "p99 ms");
  for (size_t batch : batches) {
    std::vector<RunResult> results;
    for (int i = 0; i < runs; ++i)
      results.push_back(run(path, batch));
    std::sort(results.begin(), results.end(),
              [](const RunResult& a, const RunResult& b) { return a.rate < b.rate; });
    const RunResult& mid = results[results.size() / 2];
    std::printf("%8zu %12.0f %12.0f %12.0f %10.2f %10.2f\n", batch, mid.rate, results.front().rate,
                results.back().rate, mid.p50_ms, mid.p99_ms);
    std::fflush(stdout);
  }
  remove_store_files(path);
}

// What a plain ordered SELECT reads per second from the same file, each row
// copied into strings: the yardstick for recover().
double plain_select_rate(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "SELECT * FROM messages ORDER BY queue, id", -1, &s, nullptr);
  struct Row {
    int64_t queue, id, count, expires, entry_expires;
    std::string key, type, headers, body;
  };
  std::vector<Row> rows;
  const auto start = Clock::now();
  while (sqlite3_step(s) == SQLITE_ROW) {
    auto text = [s](int i) {
      const unsigned char* p = sqlite3_column_text(s, i);
      return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(s, i))
               : std::string();
    };
    rows.push_back({sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
                    sqlite3_column_int64(s, 2), sqlite3_column_int64(s, 3),
                    sqlite3_column_int64(s, 4), text(5), text(6), text(7), text(8)});
  }
  const double secs = seconds_since(start);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return static_cast<double>(rows.size()) / secs;
}

void recover_bench(const std::string& path, int runs, size_t rows) {
  remove_store_files(path);
  {
    auto store = open_or_die(path);
    wmq::MessageId next = 1;
    while (next <= rows) {
      std::vector<wmq::PayloadRef> payloads;
      for (size_t i = 0; i < 10000 && next <= rows; ++i)
        payloads.push_back(make_payload(next++));
      for (const auto& p : payloads)
        store->insert_message(1 + p->id() % 4, p, wmq::kNever, 0);
      commit_or_die(*store);
    }
  }
  std::printf("\nrecover: %zu messages of 200 bytes, file %.1f MiB (median of %d runs)\n", rows,
              static_cast<double>(fs::file_size(path)) / (1 << 20), runs);
  std::vector<double> open_ms, recover_rate, total_rate, plain_rate;
  for (int i = 0; i < runs; ++i) {
    const auto start = Clock::now();
    auto store = open_or_die(path);
    open_ms.push_back(seconds_since(start) * 1e3);
    const auto read_start = Clock::now();
    auto r = store->recover();
    const double read_secs = seconds_since(read_start);
    if (!r.is_ok() || r->messages.size() != rows) {
      std::fprintf(stderr, "store_bench: recover: %s\n", r.status().message().c_str());
      std::exit(1);
    }
    recover_rate.push_back(static_cast<double>(rows) / read_secs);
    total_rate.push_back(static_cast<double>(rows) / seconds_since(start));
    store.reset();
    plain_rate.push_back(plain_select_rate(path));
  }
  std::printf("  open() incl. quick_check   %10.0f ms\n", median(open_ms));
  std::printf("  recover()                  %10.0f rows/s  (slowest %.0f, fastest %.0f)\n",
              median(recover_rate), *std::min_element(recover_rate.begin(), recover_rate.end()),
              *std::max_element(recover_rate.begin(), recover_rate.end()));
  std::printf("  open() + recover()         %10.0f rows/s\n", median(total_rate));
  std::printf("  plain ordered SELECT       %10.0f rows/s\n", median(plain_rate));
  remove_store_files(path);
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 3;
  std::string dir;
  std::string only;
  size_t recover_rows = 1000000;
  std::vector<size_t> batches{1, 10, 100, 1000, 10000};
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--runs" && has_value) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--dir" && has_value) {
      dir = argv[++i];
    } else if (arg == "--only" && has_value) {
      only = argv[++i];
    } else if (arg == "--batch" && has_value) {
      batches = {static_cast<size_t>(std::max(1, std::atoi(argv[++i])))};
    } else if (arg == "--recover-rows" && has_value) {
      recover_rows = static_cast<size_t>(std::atoll(argv[++i]));
    } else {
      std::fprintf(stderr,
                   "usage: store_bench [--runs N] [--dir DIR] [--only insert|ackflow|recover] "
                   "[--batch N] [--recover-rows N]\n");
      return 2;
    }
  }
  bool made_dir = false;
  if (dir.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "wmq-store-bench-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
      std::perror("store_bench: mkdtemp");
      return 1;
    }
    dir = tmpl;
    made_dir = true;
  }
  const std::string path = (fs::path(dir) / "bench.db").string();
  std::printf("store_bench: file %s, SQLite %s\n", path.c_str(), sqlite3_libversion());
  if (only.empty() || only == "insert") {
    table("insert: 200-byte messages, one commit per batch", "rows/s", path, runs, batches,
          insert_run);
  }
  if (only.empty() || only == "ackflow") {
    table("ackflow: publish a batch, ack it in the next commit", "msgs/s", path, runs, batches,
          ackflow_run);
  }
  if (only.empty() || only == "recover") recover_bench(path, runs, recover_rows);
  if (made_dir) fs::remove_all(dir);
  return 0;
}

// libFuzzer target for recovery (broker/store.h, Broker::attach_store): a
// valid small broker file with bytes flipped or rows edited.
//
// The template file: a durable direct exchange, two durable queues (one with
// dead-letter options), bindings, six persistent messages of which one was
// delivered (unacked at the stop). Input byte 0 picks the damage:
//   even: byte flips, each three bytes (offset high, offset low, xor);
//   odd:  row edits through SQLite, each one byte picking the edit and the
//         bytes after it as the value (wrong types, bad JSON queue options,
//         ids out of order, missing parents).
// Properties: Store::open and attach_store either fail with a message that
// names the broker file, or recover a broker whose queues agree with
// themselves (every message peeked is counted, none is unacked, ids rise in
// each queue) and that takes a new publish and a clean close.
#include <sqlite3.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "broker/broker.h"
#include "fuzz_util.h"

using namespace wmq;
using wmq::fuzz::require;

namespace {

constexpr const char* kTarget = "recovery_fuzz";

struct NullSink final : SessionSink {
  void on_delivery(const Delivery&) override {}
};

std::filesystem::path work_dir() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() /
             ("wmq-recovery-fuzz-" + std::to_string(::getpid()));
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

void remove_db(const std::string& path) {
  for (const char* ext : {"", "-wal", "-shm"})
    std::filesystem::remove(path + ext);
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

SessionId open_client(Broker& b, SessionSink* sink) {
  SessionOptions o;
  o.name = "fuzz";
  const SessionId id = b.open_session(o, sink);
  (void)b.connected(id);
  return id;
}

// The bytes of the template broker file, made once.
const std::string& template_file() {
  static const std::string bytes = [] {
    const std::string path = (work_dir() / "template.db").string();
    remove_db(path);
    ManualClock clock(1'000'000);
    {
      Broker b(clock);
      auto store = Store::open(path);
      require(store.is_ok(), kTarget, "the template opens");
      require(b.attach_store(std::move(store).value()).is_ok(), kTarget, "the template attaches");
      ExchangeOptions eo;
      eo.durable = true;
      require(b.declare_exchange("orders", eo).is_ok(), kTarget, "exchange");
      QueueOptions qo;
      qo.durable = true;
      require(b.declare_queue("grill", qo).is_ok(), kTarget, "queue grill");
      qo.dead_letter_exchange = "orders";
      qo.dead_letter_routing_key = "grill";
      qo.delivery_limit = 3;
      qo.message_ttl = 60 * kSeconds;
      require(b.declare_queue("wok", qo).is_ok(), kTarget, "queue wok");
      require(b.bind("grill", "orders", "grill").is_ok(), kTarget, "bind grill");
      require(b.bind("wok", "orders", "wok").is_ok(), kTarget, "bind wok");
      NullSink sink;
      const SessionId s = open_client(b, &sink);
      for (int i = 0; i < 6; ++i) {
        Message m;
        m.body = "{\"order\":" + std::to_string(i) + "}";
        m.content_type = "application/octet-stream";
        m.routing_key = i % 2 ? "wok" : "grill";
        m.persistent = true;
        m.headers.push_back({"order", std::to_string(i)});
        require(b.publish(s, "orders", m).is_ok(), kTarget, "publish");
      }
      require(b.flush().is_ok(), kTarget, "flush");
      require(b.subscribe(s, "wok", ConsumeOptions{1, false}).is_ok(), kTarget, "subscribe");
      require(b.flush().is_ok(), kTarget, "flush");
      require(b.close().is_ok(), kTarget, "close");
    }
    std::string out = read_all(path);
    require(!out.empty(), kTarget, "the template has bytes");
    return out;
  }();
  return bytes;
}

void edit_rows(const std::string& path, const uint8_t* data, size_t size) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return;
  }
  static const char* const kEdits[] = {
      "UPDATE queues SET options = ?1 WHERE key = (SELECT min(key) FROM queues)",
      "UPDATE queues SET name = ?1 WHERE key = (SELECT max(key) FROM queues)",
      "UPDATE messages SET delivery_count = ?1 WHERE id = (SELECT min(id) FROM messages)",
      "UPDATE messages SET delivery_count = -5",
      "UPDATE messages SET id = 1 WHERE id = (SELECT max(id) FROM messages)",
      "UPDATE messages SET queue = 999 WHERE id = (SELECT min(id) FROM messages)",
      "UPDATE messages SET headers = ?1",
      "UPDATE messages SET body = ?1 WHERE id = (SELECT max(id) FROM messages)",
      "UPDATE messages SET expires_at = ?1, entry_expires_at = ?1",
      "UPDATE messages SET routing_key = 7, content_type = x'00ff'",
      "UPDATE meta SET max_message_id = 0",
      "UPDATE meta SET message_count = ?1",
      "UPDATE exchanges SET kind = ?1",
      "UPDATE exchanges SET alternate_exchange = ?1",
      "INSERT OR REPLACE INTO bindings VALUES ('orders', ?1, 'x')",
      "INSERT OR REPLACE INTO bindings VALUES (?1, 'grill', 'x')",
      "DELETE FROM queues WHERE key = (SELECT min(key) FROM queues)",
      "DELETE FROM exchanges",
      "UPDATE queues SET key = key + 100",
      "UPDATE messages SET id = id * -1",
      "PRAGMA user_version = 2",
      "DROP TABLE bindings",
  };
  constexpr size_t kCount = sizeof kEdits / sizeof kEdits[0];
  size_t at = 1;
  while (at < size) {
    const uint8_t pick = data[at++];
    size_t len = 0;
    if (at < size) {
      const size_t want = data[at++] % 40;
      len = std::min(want, size - at);
    }
    const std::string value(reinterpret_cast<const char*>(data) + at, len);
    at += len;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, kEdits[pick % kCount], -1, &st, nullptr) == SQLITE_OK) {
      // The value as text, a number or a blob, as the pick's high bits say.
      switch (pick / kCount % 3) {
        case 0:
          sqlite3_bind_text(st, 1, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
          break;
        case 1:
          sqlite3_bind_int64(st, 1, static_cast<sqlite3_int64>(std::hash<std::string>{}(value)));
          break;
        default:
          sqlite3_bind_blob(st, 1, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
          break;
      }
      (void)sqlite3_step(st);  // a refused edit (a constraint) is no damage: go on
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
}

bool names_the_file(const std::string& message, const std::string& path) {
  return message.find(path) != std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& base = template_file();
  if (size < 1) return 0;
  const std::string path = (work_dir() / "damaged.db").string();
  remove_db(path);
  std::string bytes = base;
  if ((data[0] & 1) == 0) {
    for (size_t at = 1; at + 3 <= size; at += 3) {
      const size_t offset = (size_t{data[at]} << 8 | data[at + 1]) * 7 % bytes.size();
      bytes[offset] = static_cast<char>(bytes[offset] ^ (data[at + 2] | 1));
    }
  }
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  if (data[0] & 1) edit_rows(path, data, size);

  ManualClock clock(2'000'000);
  Broker b(clock);
  auto store = Store::open(path);
  if (!store.is_ok()) {
    require(names_the_file(store.status().message(), path), kTarget, "an open error names the file",
            store.status().message());
    return 0;
  }
  Status st = b.attach_store(std::move(store).value());
  if (!st.is_ok()) {
    require(names_the_file(st.message(), path), kTarget, "a recovery error names the file",
            st.message());
    // Nothing half-recovered: the broker holds none of the file's queues.
    for (const QueueSnapshot& q : b.snapshot().queues)
      require(q.ready == 0 && q.unacked == 0, kTarget, "a failed recovery holds no messages",
              q.name);
    return 0;
  }
  for (const QueueSnapshot& q : b.snapshot().queues) {
    require(q.unacked == 0, kTarget, "nothing is unacked after recovery", q.name);
    const auto peeked = b.peek(q.name, 0, 1u << 20);
    require(peeked.size() == q.ready, kTarget, "every recovered message is counted", q.name);
    for (size_t i = 1; i < peeked.size(); ++i) {
      require(peeked[i - 1].id < peeked[i].id, kTarget, "ids rise in a recovered queue", q.name);
    }
  }
  NullSink sink;
  const SessionId s = open_client(b, &sink);
  Message m;
  m.body = "after";
  m.routing_key = "grill";
  m.persistent = true;
  (void)b.publish(s, "", m);  // the queue may be gone: either answer is fine
  (void)b.flush();            // a damaged file may refuse the write: reported, not a crash
  (void)b.close();
  return 0;
}

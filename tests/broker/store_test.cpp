#include <doctest.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "broker/store.h"

using namespace wmq;
namespace fs = std::filesystem;

namespace {

// A fresh directory per test, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "wmq-store-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  // The names in the directory, sorted.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(path_))
      out.push_back(e.path().filename());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  fs::path path_;
};

PayloadRef make_payload(MessageId id, std::string_view body, std::string_view routing_key = "grill",
                        const std::vector<Header>* headers = nullptr,
                        std::string_view content_type = "application/json",
                        Micros expires_at = kNever) {
  Payload::Fields f;
  f.id = id;
  f.body = body;
  f.routing_key = routing_key;
  f.content_type = content_type;
  f.headers = headers;
  f.persistent = true;
  f.expires_at = expires_at;
  return PayloadRef::adopt(Payload::make(f));
}

std::unique_ptr<Store> open_ok(const std::string& path, const StoreOptions& options = {}) {
  auto r = Store::open(path, options);
  INFO(r.status().message());
  REQUIRE(r.is_ok());
  return std::move(r).value();
}

// Opens, reads everything back, closes.
Recovered recover_all(const std::string& path) {
  auto store = open_ok(path);
  auto r = store->recover();
  INFO(r.status().message());
  REQUIRE(r.is_ok());
  return std::move(r).value();
}

void commit_ok(Store& store) {
  Status s = store.commit();
  INFO(s.message());
  REQUIRE(s.is_ok());
}

std::string order_body(MessageId id) {
  return R"({"dish":"nasi goreng","order":)" + std::to_string(id) + "}";
}

// Commits messages first..last (ids) on `queue`, one batch.
void insert_range(Store& store, QueueKey queue, MessageId first, MessageId last) {
  for (MessageId id = first; id <= last; ++id) {
    store.insert_message(queue, make_payload(id, order_body(id)), kNever, 0);
  }
  commit_ok(store);
}

std::vector<MessageId> ids_of(const Recovered& r, QueueKey queue) {
  std::vector<MessageId> out;
  for (const MessageRecord& m : r.messages) {
    if (m.queue == queue) out.push_back(m.id);
  }
  return out;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Runs SQL on a file with a plain SQLite connection, as another program would.
void sqlite_exec(const std::string& path, const char* sql, bool checkpoint_on_close = true) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  if (!checkpoint_on_close) {
    REQUIRE(sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr) == SQLITE_OK);
  }
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  INFO((err != nullptr ? err : ""));
  sqlite3_free(err);
  CHECK(rc == SQLITE_OK);
  sqlite3_close(db);
}

std::string quoted(const std::string& path) {
  return "broker file \"" + path + "\"";
}

// A closed broker file with `count` committed messages on queue 1.
void make_store_file(const std::string& path, MessageId count) {
  auto store = open_ok(path);
  insert_range(*store, 1, 1, count);
}

}  // namespace

TEST_CASE("a new broker file recovers empty and carries our marker and schema version") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  Recovered r = recover_all(path);
  CHECK(r.exchanges.empty());
  CHECK(r.queues.empty());
  CHECK(r.bindings.empty());
  CHECK(r.messages.empty());
  CHECK(r.max_message_id == 0);

  const std::string header = read_bytes(path).substr(0, 100);
  REQUIRE(header.size() == 100);
  CHECK(header.substr(0, 16) == std::string("SQLite format 3\0", 16));
  CHECK(header.substr(68, 4) == "WMQB");                      // application_id
  CHECK(header.substr(60, 4) == std::string("\0\0\0\1", 4));  // user_version 1
  CHECK(dir.names() == std::vector<std::string>{"broker.db", "broker.db.lock"});
}

TEST_CASE("an exchange round-trips, and a deleted one is gone") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  const ExchangeRecord orders{"orders", "direct", "unrouted"};
  const ExchangeRecord fan{"announcements", "fanout", ""};
  {
    auto store = open_ok(path);
    store->put_exchange(orders);
    store->put_exchange(fan);
    commit_ok(*store);
  }
  CHECK(recover_all(path).exchanges == std::vector<ExchangeRecord>{fan, orders});
  {
    auto store = open_ok(path);
    store->delete_exchange("announcements");
    commit_ok(*store);
  }
  CHECK(recover_all(path).exchanges == std::vector<ExchangeRecord>{orders});
}

TEST_CASE("a queue definition round-trips, a re-put replaces it, and a deleted one is gone") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  const QueueRecord grill{7, "grill", R"({"max-length":50})"};
  const QueueRecord wok{3, "wok", "{}"};
  {
    auto store = open_ok(path);
    store->put_queue(grill);
    store->put_queue(wok);
    commit_ok(*store);
  }
  CHECK(recover_all(path).queues == std::vector<QueueRecord>{wok, grill});
  const QueueRecord grill2{7, "grill", R"({"max-length":80})"};
  {
    auto store = open_ok(path);
    store->put_queue(grill2);
    store->delete_queue(3);
    commit_ok(*store);
  }
  CHECK(recover_all(path).queues == std::vector<QueueRecord>{grill2});
}

TEST_CASE("a binding round-trips, a duplicate put is one binding, and a deleted one is gone") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  const BindingRecord a{"orders", "grill", "grill"};
  const BindingRecord b{"orders", "grill", "sate.*"};
  {
    auto store = open_ok(path);
    store->put_binding(b);
    store->put_binding(a);
    commit_ok(*store);
    store->put_binding(a);
    commit_ok(*store);
  }
  CHECK(recover_all(path).bindings == std::vector<BindingRecord>{a, b});
  {
    auto store = open_ok(path);
    store->delete_binding(b);
    commit_ok(*store);
  }
  CHECK(recover_all(path).bindings == std::vector<BindingRecord>{a});
}

TEST_CASE("a message round-trips with every field") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  const std::vector<Header> headers{{"table", "4"}, {"note", ""}, {std::string("b\0n", 3), "\xff"}};
  const std::string body("{\"dish\":\"soto\"}\0tail", 20);
  {
    auto store = open_ok(path);
    store->insert_message(2, make_payload(41, body, "soup", &headers, "application/json", 9000),
                          12000, 3);
    // An empty body, no headers, no routing key, no deadlines.
    store->insert_message(2, make_payload(42, "", "", nullptr, ""), kNever, 0);
    commit_ok(*store);
  }
  Recovered r = recover_all(path);
  REQUIRE(r.messages.size() == 2);
  const MessageRecord& m = r.messages[0];
  CHECK(m.queue == 2);
  CHECK(m.id == 41);
  CHECK(m.routing_key == "soup");
  CHECK(m.content_type == "application/json");
  CHECK(m.headers == headers);
  CHECK(m.body == body);
  CHECK(m.expires_at == 9000);
  CHECK(m.entry_expires_at == 12000);
  CHECK(m.delivery_count == 3);
  const MessageRecord& e = r.messages[1];
  CHECK(e.id == 42);
  CHECK(e.body.empty());
  CHECK(e.routing_key.empty());
  CHECK(e.content_type.empty());
  CHECK(e.headers.empty());
  CHECK(e.expires_at == kNever);
  CHECK(e.entry_expires_at == kNever);
  CHECK(r.max_message_id == 42);
}

TEST_CASE("recovery returns messages ordered by queue, then id") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  {
    auto store = open_ok(path);
    // Several batches, ids and queues out of order.
    const std::vector<std::pair<QueueKey, MessageId>> batch1{{9, 30}, {2, 12}, {9, 4}, {5, 7}};
    const std::vector<std::pair<QueueKey, MessageId>> batch2{{2, 3}, {5, 100}, {9, 1}, {2, 50}};
    for (const auto& batch : {batch1, batch2}) {
      for (const auto& [q, id] : batch)
        store->insert_message(q, make_payload(id, "x"), kNever, 0);
      commit_ok(*store);
    }
  }
  Recovered r = recover_all(path);
  std::vector<std::pair<QueueKey, MessageId>> got;
  for (const MessageRecord& m : r.messages)
    got.emplace_back(m.queue, m.id);
  CHECK(got == std::vector<std::pair<QueueKey, MessageId>>{
                   {2, 3}, {2, 12}, {2, 50}, {5, 7}, {5, 100}, {9, 1}, {9, 4}, {9, 30}});
  CHECK(r.max_message_id == 100);
}

TEST_CASE("a message inserted and removed in one batch is never written") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  {
    auto store = open_ok(path);
    store->insert_message(1, make_payload(1, "keep"), kNever, 0);
    store->insert_message(1, make_payload(2, "acked at once"), kNever, 0);
    CHECK(store->pending() == 2);
    store->remove_message(1, 2);
    CHECK(store->pending() == 1);
    commit_ok(*store);
    CHECK(store->stats().rows_written == 1);
  }
  Recovered r = recover_all(path);
  CHECK(ids_of(r, 1) == std::vector<MessageId>{1});
  // The id was handed out all the same: it must never come back.
  CHECK(r.max_message_id == 2);
}

TEST_CASE("an id used only by a coalesced-away message still raises max_message_id") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  {
    auto store = open_ok(path);
    store->insert_message(1, make_payload(5, "gone"), kNever, 0);
    store->remove_message(1, 5);
    CHECK(store->pending() == 0);
    commit_ok(*store);
    CHECK(store->stats().rows_written == 0);
    CHECK(store->stats().commits == 1);
  }
  Recovered r = recover_all(path);
  CHECK(r.messages.empty());
  CHECK(r.max_message_id == 5);
}

TEST_CASE("a delivery count set before the insert commits is folded into the insert") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  {
    auto store = open_ok(path);
    store->insert_message(1, make_payload(1, "redelivered"), kNever, 0);
    store->set_delivery_count(1, 1, 1);
    store->set_delivery_count(1, 1, 2);
    CHECK(store->pending() == 1);
    commit_ok(*store);
    CHECK(store->stats().rows_written == 1);
  }
  Recovered r = recover_all(path);
  REQUIRE(r.messages.size() == 1);
  CHECK(r.messages[0].delivery_count == 2);
}

TEST_CASE("of several delivery counts set on a committed message, the last wins") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  {
    auto store = open_ok(path);
    insert_range(*store, 1, 1, 2);
    store->set_delivery_count(1, 2, 1);
    store->set_delivery_count(1, 2, 4);
    store->set_delivery_count(1, 2, 3);
    CHECK(store->pending() == 1);
    commit_ok(*store);
    CHECK(store->stats().rows_written == 2 + 1);
  }
  Recovered r = recover_all(path);
  REQUIRE(r.messages.size() == 2);
  CHECK(r.messages[0].delivery_count == 0);
  CHECK(r.messages[1].delivery_count == 3);
}

TEST_CASE("removing a committed message deletes its row") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  {
    auto store = open_ok(path);
    insert_range(*store, 1, 1, 3);
    store->set_delivery_count(1, 2, 1);
    store->remove_message(1, 2);  // the update is superseded by the delete
    CHECK(store->pending() == 1);
    commit_ok(*store);
    CHECK(store->stats().rows_written == 3 + 1);
  }
  CHECK(ids_of(recover_all(path), 1) == std::vector<MessageId>{1, 3});
}

TEST_CASE("deleting a queue removes its committed and pending messages, and only its own") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  {
    auto store = open_ok(path);
    store->put_queue({1, "grill", "{}"});
    store->put_queue({2, "wok", "{}"});
    commit_ok(*store);
    insert_range(*store, 1, 1, 3);
    insert_range(*store, 2, 4, 5);
    const uint64_t before = store->stats().rows_written;
    store->insert_message(1, make_payload(6, "late"), kNever, 0);
    store->set_delivery_count(1, 2, 1);
    store->delete_queue(1);
    CHECK(store->pending() == 2);  // the definition and the purge
    commit_ok(*store);
    CHECK(store->stats().rows_written - before == 3 + 1);  // three messages, one definition
  }
  Recovered r = recover_all(path);
  CHECK(r.queues == std::vector<QueueRecord>{{2, "wok", "{}"}});
  CHECK(ids_of(r, 1).empty());
  CHECK(ids_of(r, 2) == std::vector<MessageId>{4, 5});
  CHECK(r.max_message_id == 6);
}

TEST_CASE("a queue deleted and declared again in one batch comes back with only new messages") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  {
    auto store = open_ok(path);
    store->put_queue({1, "grill", "{}"});
    commit_ok(*store);
    insert_range(*store, 1, 1, 3);
    store->delete_queue(1);
    store->put_queue({1, "grill", R"({"durable":true})"});
    store->insert_message(1, make_payload(4, "fresh"), kNever, 0);
    commit_ok(*store);
  }
  Recovered r = recover_all(path);
  CHECK(r.queues == std::vector<QueueRecord>{{1, "grill", R"({"durable":true})"}});
  CHECK(ids_of(r, 1) == std::vector<MessageId>{4});
}

TEST_CASE("destroying a store with pending writes commits none of them") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  {
    auto store = open_ok(path);
    store->put_queue({1, "grill", "{}"});
    insert_range(*store, 1, 1, 2);
    store->insert_message(1, make_payload(3, "lost"), kNever, 0);
    store->remove_message(1, 1);
    store->set_delivery_count(1, 2, 5);
    store->put_exchange({"orders", "direct", ""});
    store->delete_queue(1);
    // The broker dies here.
  }
  Recovered r = recover_all(path);
  CHECK(r.queues == std::vector<QueueRecord>{{1, "grill", "{}"}});
  CHECK(r.exchanges.empty());
  REQUIRE(ids_of(r, 1) == std::vector<MessageId>{1, 2});
  CHECK(r.messages[1].delivery_count == 0);
  CHECK(r.max_message_id == 2);
}

TEST_CASE("max_message_id survives the deletion of every message") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  {
    auto store = open_ok(path);
    insert_range(*store, 1, 1, 5);
    insert_range(*store, 2, 6, 9);
    for (MessageId id = 1; id <= 5; ++id)
      store->remove_message(1, id);
    store->delete_queue(2);
    commit_ok(*store);
  }
  Recovered r = recover_all(path);
  CHECK(r.messages.empty());
  CHECK(r.max_message_id == 9);
  {
    // A later, lower id does not lower it.
    auto store = open_ok(path);
    store->insert_message(1, make_payload(3, "late"), kNever, 0);
    commit_ok(*store);
  }
  CHECK(recover_all(path).max_message_id == 9);
}

TEST_CASE("stats count commits, rows, pending writes and file bytes") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  auto store = open_ok(path);
  StoreStats s = store->stats();
  CHECK(s.commits == 0);
  CHECK(s.rows_written == 0);
  CHECK(s.file_bytes == static_cast<int64_t>(fs::file_size(path)));
  store->insert_message(1, make_payload(1, "a"), kNever, 0);
  store->put_exchange({"orders", "direct", ""});
  CHECK(store->stats().pending == 2);
  commit_ok(*store);
  commit_ok(*store);  // nothing pending: not a commit
  s = store->stats();
  CHECK(s.commits == 1);
  CHECK(s.failed_commits == 0);
  CHECK(s.rows_written == 2);
  CHECK(s.pending == 0);
  CHECK(s.file_bytes == static_cast<int64_t>(fs::file_size(path) + fs::file_size(path + "-wal")));
}

TEST_CASE("a file of random bytes is refused as not a database and left unchanged") {
  TempDir dir;
  const std::string path = dir.file("menu.bin");
  std::mt19937 rng(7);
  std::string bytes(8192, '\0');
  for (char& c : bytes)
    c = static_cast<char>(rng());
  write_bytes(path, bytes);
  auto r = Store::open(path);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kCorrupt);
  CHECK(r.status().message() == quoted(path) + ": file is not a database");
  CHECK(read_bytes(path) == bytes);
  CHECK(dir.names() == std::vector<std::string>{"menu.bin", "menu.bin.lock"});
}

TEST_CASE("a file shorter than a SQLite header is refused as not a database") {
  TempDir dir;
  const std::string path = dir.file("short.db");
  write_bytes(path, "SQLite format 3");
  auto r = Store::open(path);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kCorrupt);
  CHECK(r.status().message() == quoted(path) + ": file is not a database");
  CHECK(read_bytes(path) == "SQLite format 3");
}

TEST_CASE("another application's SQLite file is refused and left byte for byte unchanged") {
  TempDir dir;
  const std::string path = dir.file("kasir.db");
  sqlite_exec(path,
              "CREATE TABLE sales(id INTEGER PRIMARY KEY, total INTEGER);"
              "INSERT INTO sales VALUES (1, 25000);");
  const std::string before = read_bytes(path);
  auto r = Store::open(path);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kCorrupt);
  CHECK(r.status().message() ==
        quoted(path) +
            ": not a WarungMQ broker file (a SQLite file without the WarungMQ application_id)");
  CHECK(read_bytes(path) == before);
  // No journal, WAL or shm file was made beside it either.
  CHECK(dir.names() == std::vector<std::string>{"kasir.db", "kasir.db.lock"});
}

TEST_CASE("a SQLite file with another application_id is refused and left unchanged") {
  TempDir dir;
  const std::string path = dir.file("other.db");
  sqlite_exec(path, "PRAGMA application_id = 305419896; CREATE TABLE t(x);");
  const std::string before = read_bytes(path);
  auto r = Store::open(path);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kCorrupt);
  CHECK(r.status().message() ==
        quoted(path) + ": not a WarungMQ broker file (SQLite application_id 0x12345678)");
  CHECK(read_bytes(path) == before);
}

TEST_CASE("a broker file of another schema version is refused and left unchanged") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  make_store_file(path, 3);
  sqlite_exec(path, "PRAGMA user_version = 7;");
  const std::string before = read_bytes(path);
  auto r = Store::open(path);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kCorrupt);
  CHECK(r.status().message() == quoted(path) + ": schema version 7, this build reads version 1");
  CHECK(read_bytes(path) == before);
}

TEST_CASE("a schema version changed only in the WAL is refused too") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  make_store_file(path, 3);
  // Committed to the WAL, never checkpointed: the file header still says 1.
  sqlite_exec(path, "PRAGMA user_version = 2;", /*checkpoint_on_close=*/false);
  REQUIRE(fs::exists(path + "-wal"));
  CHECK(read_bytes(path).substr(60, 4) == std::string("\0\0\0\1", 4));
  auto r = Store::open(path);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kCorrupt);
  CHECK(r.status().message() == quoted(path) + ": schema version 2, this build reads version 1");
}

TEST_CASE("a truncated broker file is refused as damaged") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  make_store_file(path, 2000);
  const auto size = fs::file_size(path);
  fs::resize_file(path, size / 2);
  auto r = Store::open(path);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kCorrupt);
  CHECK(r.status().message() == quoted(path) + ": damaged (database disk image is malformed)");
}

TEST_CASE("a broker file with a scribbled page is refused as damaged") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  make_store_file(path, 2000);
  std::string bytes = read_bytes(path);
  REQUIRE(bytes.size() > 20 * 4096);
  // Page 10: somewhere in the message b-tree.
  std::fill(bytes.begin() + 9 * 4096, bytes.begin() + 10 * 4096, '\x5a');
  write_bytes(path, bytes);
  auto r = Store::open(path);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kCorrupt);
  CHECK(r.status().message() ==
        quoted(path) + ": damaged (quick_check: Page 10: btreeInitPage() returns error code 11)");
}

TEST_CASE("a broker file whose message count is absurd still recovers its messages") {
  // Found by recovery_fuzz: the count sized a reserve(), which threw
  // std::length_error out of recover().
  TempDir dir;
  const std::string path = dir.file("broker.db");
  make_store_file(path, 3);
  sqlite_exec(path, "UPDATE meta SET message_count = 4611686018427387904");
  Recovered r = recover_all(path);
  CHECK(r.messages.size() == 3);
}

TEST_CASE("a file held by a live store in this process is busy until that store is gone") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  auto first = open_ok(path);
  auto r = Store::open(path);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kBusy);
  CHECK(r.status().message() ==
        quoted(path) + ": in use by another live broker (\"" + path + ".lock\" is locked)");
  first.reset();
  CHECK(Store::open(path).is_ok());
}

TEST_CASE("a file held by a live store in another process is busy until that process dies") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(ready[0]);
    auto r = Store::open(path);
    const char byte = r.is_ok() ? 'y' : 'n';
    (void)!::write(ready[1], &byte, 1);
    ::pause();  // holds the file until killed
    ::_exit(0);
  }
  // Kills the holder on every way out, failed REQUIREs included.
  struct Holder {
    pid_t pid;
    void kill() {
      if (pid <= 0) return;
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      pid = -1;
    }
    ~Holder() { kill(); }
  } holder{child};
  ::close(ready[1]);  // so a child that dies early reads as end of file
  char byte = 0;
  const ssize_t got = ::read(ready[0], &byte, 1);
  ::close(ready[0]);
  REQUIRE(got == 1);
  REQUIRE(byte == 'y');
  auto r = Store::open(path);
  CHECK(r.status().code() == Code::kBusy);
  CHECK(r.status().message() ==
        quoted(path) + ": in use by another live broker (\"" + path + ".lock\" is locked)");
  holder.kill();
  CHECK(Store::open(path).is_ok());
}

TEST_CASE("a file that cannot be created or read is an io error") {
  TempDir dir;
  const std::string missing = dir.file("no-such-dir/broker.db");
  auto r = Store::open(missing);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kIoError);
  CHECK(r.status().message() == quoted(missing) + ": cannot create lock file \"" + missing +
                                    ".lock\": No such file or directory");

  const std::string folder = dir.file("folder.db");
  fs::create_directory(folder);
  r = Store::open(folder);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kIoError);
  CHECK(r.status().message() == quoted(folder) + ": cannot read: Is a directory");
}

TEST_CASE("an empty file is taken as a new broker file") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  write_bytes(path, "");
  {
    auto store = open_ok(path);
    insert_range(*store, 1, 1, 1);
  }
  CHECK(ids_of(recover_all(path), 1) == std::vector<MessageId>{1});
}

TEST_CASE("a commit on a full disk fails with SQLite's words and writes nothing of the batch") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  StoreOptions tight;
  tight.TEST_max_page_count = 24;
  const std::string big(200, 'x');
  {
    auto store = open_ok(path, tight);
    insert_range(*store, 1, 1, 10);
    store->put_exchange({"orders", "direct", ""});
    for (MessageId id = 11; id <= 1000; ++id) {
      store->insert_message(1, make_payload(id, big), kNever, 0);
    }
    store->remove_message(1, 1);
    Status s = store->commit();
    CHECK(s.code() == Code::kIoError);
    CHECK(s.message() == quoted(path) + ": commit failed: database or disk is full");
    CHECK(store->pending() == 0);
    CHECK(store->stats().failed_commits == 1);
    CHECK(store->stats().commits == 1);
    CHECK(store->stats().disk_full);
    CHECK(store->stats().last_failure == "database or disk is full");
  }
  Recovered r = recover_all(path);
  CHECK(ids_of(r, 1) == std::vector<MessageId>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  CHECK(r.exchanges.empty());
  CHECK(r.max_message_id == 10);
}

TEST_CASE("after a failed commit the store commits again once space allows") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  StoreOptions tight;
  tight.TEST_max_page_count = 24;
  const std::string big(200, 'x');
  {
    auto store = open_ok(path, tight);
    // Fill the file until a batch no longer fits.
    MessageId next = 1;
    Status s;
    while (s.is_ok()) {
      for (int i = 0; i < 50; ++i, ++next) {
        store->insert_message(1, make_payload(next, big), kNever, 0);
      }
      s = store->commit();
    }
    CHECK(s.message() == quoted(path) + ": commit failed: database or disk is full");
    CHECK(store->stats().disk_full);
    const MessageId last_committed = next - 51;
    REQUIRE(last_committed > 50);
    // Acks free space; the next publishes fit again.
    for (MessageId id = 1; id <= 50; ++id)
      store->remove_message(1, id);
    commit_ok(*store);
    store->insert_message(1, make_payload(next, "after"), kNever, 0);
    commit_ok(*store);
    CHECK(store->stats().failed_commits == 1);
    // A commit that went through says the disk has room again; the reason stays on record.
    CHECK_FALSE(store->stats().disk_full);
    CHECK(store->stats().last_failure == "database or disk is full");
    store.reset();
    Recovered r = recover_all(path);
    REQUIRE(!r.messages.empty());
    CHECK(r.messages.front().id == 51);
    CHECK(r.messages.size() == last_committed - 50 + 1);
    CHECK(r.messages.back().id == next);
    CHECK(r.messages.back().body == "after");
  }
}

TEST_CASE("a commit that fails half-way rolls back what it wrote, and the store goes on") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  {
    auto store = open_ok(path);
    insert_range(*store, 1, 5, 5);
    // Id 2 is written first (key order), then id 5 breaks the primary key.
    store->insert_message(1, make_payload(2, "half"), kNever, 0);
    store->insert_message(1, make_payload(5, "again"), kNever, 0);
    Status s = store->commit();
    CHECK(s.code() == Code::kIoError);
    CHECK(s.message() ==
          quoted(path) + ": commit failed: UNIQUE constraint failed: messages.queue, messages.id");
    CHECK(store->stats().failed_commits == 1);
    CHECK_FALSE(store->stats().disk_full);  // a failure, but not for want of room
    store->insert_message(1, make_payload(3, "next"), kNever, 0);
    commit_ok(*store);
  }
  Recovered r = recover_all(path);
  CHECK(ids_of(r, 1) == std::vector<MessageId>{3, 5});
  CHECK(r.messages.back().body == order_body(5));
  CHECK(r.max_message_id == 5);
}

// Ownership of inserted payloads (store.h, "Payloads"): the store holds one
// reference per pending insert, no body copy, and lets it go when the batch is
// done with it. TEST_refs() counts the holders: the test's own reference is 1.

TEST_CASE("an inserted payload is shared with the store, not copied, until its batch commits") {
  TempDir dir;
  auto store = open_ok(dir.file("broker.db"));
  PayloadRef p = make_payload(1, "nasi goreng");
  store->insert_message(1, p, kNever, 0);
  CHECK(p->TEST_refs() == 2);
  commit_ok(*store);
  CHECK(p->TEST_refs() == 1);
}

TEST_CASE("a payload moved into the store lives until the commit writes it") {
  TempDir dir;
  const std::string path = dir.file("broker.db");
  {
    auto store = open_ok(path);
    PayloadRef p = make_payload(1, "mie ayam");
    store->insert_message(1, std::move(p), kNever, 0);
    CHECK(!p);  // the store took the only reference
    commit_ok(*store);
  }
  Recovered r = recover_all(path);
  REQUIRE(r.messages.size() == 1);
  CHECK(r.messages[0].body == "mie ayam");
}

TEST_CASE("the store lets go of a payload removed before its batch commits") {
  TempDir dir;
  auto store = open_ok(dir.file("broker.db"));
  PayloadRef p = make_payload(1, "acked at once");
  store->insert_message(1, p, kNever, 0);
  store->remove_message(1, 1);
  CHECK(p->TEST_refs() == 1);
}

TEST_CASE("the store lets go of a pending payload when its queue is deleted") {
  TempDir dir;
  auto store = open_ok(dir.file("broker.db"));
  PayloadRef p = make_payload(1, "soup");
  store->insert_message(4, p, kNever, 0);
  store->delete_queue(4);
  CHECK(p->TEST_refs() == 1);
}

TEST_CASE("a failed commit lets go of the payloads of the batch it drops") {
  TempDir dir;
  auto store = open_ok(dir.file("broker.db"));
  insert_range(*store, 1, 5, 5);
  PayloadRef dup = make_payload(5, "again");  // breaks the primary key at commit
  store->insert_message(1, dup, kNever, 0);
  REQUIRE(store->commit().code() == Code::kIoError);
  CHECK(dup->TEST_refs() == 1);
}

TEST_CASE("a store destroyed with writes pending lets go of their payloads") {
  TempDir dir;
  PayloadRef p = make_payload(1, "never committed");
  {
    auto store = open_ok(dir.file("broker.db"));
    store->insert_message(1, p, kNever, 0);
    CHECK(p->TEST_refs() == 2);
  }
  CHECK(p->TEST_refs() == 1);
}

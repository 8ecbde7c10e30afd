// SqliteStore: the Store (broker/store.h) on one SQLite file.
//
// File layout (schema version 1):
//   meta      one row: the highest message id ever committed, and the number
//             of stored messages (a hint to size the recovery read)
//   exchanges (name) -> kind, alternate exchange
//   queues    (key) -> name, options
//   bindings  (exchange, queue, binding key)
//   messages  (queue, id) -> delivery count, deadlines, routing key, content
//             type, headers (our own compact encoding), body; WITHOUT ROWID so
//             the rows live in the primary-key b-tree and a recovery read is
//             one ordered walk of the leaves
// The file header carries our application_id and the schema version in
// user_version, so a file can be judged from its first 100 bytes before
// SQLite is allowed to touch it (SQLite may write to a file just by opening
// it: a hot journal is rolled back, a WAL is recovered).
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "broker/store.h"
#include "broker/store_batch.h"

namespace wmq {
namespace {

// The version of the file layout above. A file of another version is refused,
// never migrated in place by a build that does not know it.
constexpr int kSchemaVersion = 1;
// PRAGMA application_id of every broker file: "WMQB".
constexpr uint32_t kApplicationId = 0x574D5142;

// Run once on a file built aside (create_file): no journal and no fsync
// while building, since a half-built file is never renamed into place.
constexpr const char* kSchemaSql = R"sql(
PRAGMA page_size = 4096;
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
CREATE TABLE meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  max_message_id INTEGER NOT NULL,
  message_count INTEGER NOT NULL
);
INSERT INTO meta VALUES (1, 0, 0);
CREATE TABLE exchanges (
  name TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  alternate_exchange TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE queues (
  key INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  options TEXT NOT NULL
);
CREATE TABLE bindings (
  exchange TEXT NOT NULL,
  queue TEXT NOT NULL,
  binding_key TEXT NOT NULL,
  PRIMARY KEY (exchange, queue, binding_key)
) WITHOUT ROWID;
CREATE TABLE messages (
  queue INTEGER NOT NULL,
  id INTEGER NOT NULL,
  delivery_count INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  entry_expires_at INTEGER NOT NULL,
  routing_key TEXT NOT NULL,
  content_type TEXT NOT NULL,
  headers BLOB,
  body BLOB NOT NULL,
  PRIMARY KEY (queue, id)
) WITHOUT ROWID;
PRAGMA application_id = 1464684866;
PRAGMA user_version = 1;
COMMIT;
PRAGMA journal_mode = WAL;
)sql";
static_assert(kApplicationId == 1464684866u, "kSchemaSql spells kApplicationId in decimal");
static_assert(kSchemaVersion == 1, "kSchemaSql spells kSchemaVersion");

std::string quoted(const std::string& path) {
  return "broker file \"" + path + "\"";
}

Status io_error(const std::string& path, const std::string& what) {
  return Status::error(Code::kIoError, quoted(path) + ": " + what);
}

Status corrupt(const std::string& path, const std::string& what) {
  return Status::error(Code::kCorrupt, quoted(path) + ": " + what);
}

// SQLite's verdict on a file during open(): damage is kCorrupt, the rest is
// the disk saying no.
Status open_error(const std::string& path, sqlite3* db, int rc) {
  const std::string words = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const int primary = rc & 0xff;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
    return corrupt(path, "damaged (" + words + ")");
  }
  return io_error(path, "cannot open: " + words);
}

// The exclusive hold on "<path>.lock". flock() locks belong to the open file
// description, so a second Store in this process conflicts as well as one in
// another process; the kernel drops the lock when a holder dies.
class FileLock {
 public:
  FileLock() = default;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);
  }

  Status acquire(const std::string& path) {
    const std::string lock_path = path + ".lock";
    fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      return io_error(path,
                      "cannot create lock file \"" + lock_path + "\": " + std::strerror(errno));
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK) {
        return Status::error(Code::kBusy, quoted(path) + ": in use by another live broker (\"" +
                                              lock_path + "\" is locked)");
      }
      return io_error(path, "cannot lock \"" + lock_path + "\": " + std::strerror(errno));
    }
    return Status::ok();
  }

 private:
  int fd_ = -1;
};

// Plain file descriptor, closed on scope exit.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

uint32_t big_endian32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

std::string version_mismatch(int64_t version) {
  return "schema version " + std::to_string(version) + ", this build reads version " +
         std::to_string(kSchemaVersion);
}

std::string not_ours(uint32_t application_id) {
  if (application_id == 0) {
    return "not a WarungMQ broker file (a SQLite file without the WarungMQ application_id)";
  }
  return "not a WarungMQ broker file (SQLite application_id " + hex32(application_id) + ")";
}

// Judges an existing file from its 100-byte header alone, without SQLite.
Status check_header(const std::string& path) {
  Fd f(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (f.fd < 0) return io_error(path, std::string("cannot read: ") + std::strerror(errno));
  unsigned char header[100];
  size_t got = 0;
  while (got < sizeof header) {
    const ssize_t n = ::pread(f.fd, header + got, sizeof header - got, static_cast<off_t>(got));
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error(path, std::string("cannot read: ") + std::strerror(errno));
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  static const char kMagic[16] = "SQLite format 3";  // with its NUL: 16 bytes
  if (got < sizeof header || std::memcmp(header, kMagic, sizeof kMagic) != 0) {
    return corrupt(path, "file is not a database");
  }
  const uint32_t application_id = big_endian32(header + 68);
  if (application_id != kApplicationId) return corrupt(path, not_ours(application_id));
  const uint32_t version = big_endian32(header + 60);
  if (version != kSchemaVersion) return corrupt(path, version_mismatch(version));
  return Status::ok();
}

Status fsync_path(const std::string& path, int flags) {
  Fd f(::open(path.c_str(), flags | O_CLOEXEC));
  if (f.fd < 0 || ::fsync(f.fd) != 0) return Status::error(Code::kIoError, std::strerror(errno));
  return Status::ok();
}

std::string dir_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Builds a complete, empty broker file beside `path` and renames it into
// place, so a file at `path` is either absent or whole and marked as ours,
// whatever moment a crash picks.
Status create_file(const std::string& path) {
  const std::string tmp = path + ".new";
  // Leftovers of a creation that died half-way; all named after our file.
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
    ::unlink((tmp + suffix).c_str());
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      tmp.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, kSchemaSql, nullptr, nullptr, nullptr);
  std::string words;
  if (rc != SQLITE_OK) words = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  sqlite3_close_v2(db);
  if (rc != SQLITE_OK) {
    ::unlink(tmp.c_str());
    return io_error(path, "cannot create: " + words);
  }
  Status s = fsync_path(tmp, O_RDONLY);
  if (s.is_ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    s = Status::error(Code::kIoError, std::strerror(errno));
  }
  if (s.is_ok()) s = fsync_path(dir_of(path), O_RDONLY | O_DIRECTORY);
  if (!s.is_ok()) {
    ::unlink(tmp.c_str());
    return io_error(path, "cannot create: " + s.message());
  }
  return Status::ok();
}

// Owns a prepared statement for the life of the connection.
class Stmt {
 public:
  Stmt() = default;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(stmt_); }

  int prepare(sqlite3* db, const char* sql) {
    return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

void bind_text(sqlite3_stmt* s, int i, std::string_view v) {
  // A zero-length value with a null pointer would bind SQL NULL.
  sqlite3_bind_text(s, i, v.empty() ? "" : v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}

void bind_blob(sqlite3_stmt* s, int i, std::string_view v) {
  sqlite3_bind_blob(s, i, v.empty() ? "" : v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}

int64_t to_sql(MessageId id) {
  assert(id <= static_cast<MessageId>(INT64_MAX) &&
         "Store: message ids above INT64_MAX do not fit SQLite's INTEGER");
  return static_cast<int64_t>(id);
}

// The column as bytes, without a copy or a text conversion.
std::string_view column_bytes(sqlite3_stmt* s, int i) {
  const void* p = sqlite3_column_blob(s, i);
  const int n = sqlite3_column_bytes(s, i);
  if (p == nullptr || n <= 0) return {};
  return {static_cast<const char*>(p), static_cast<size_t>(n)};
}

// Headers on disk: for each, LEB128 name length, name, LEB128 value length,
// value. Our own format, independent of Payload's in-memory layout; SQL NULL
// when there are none.
void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

bool get_varint(std::string_view& in, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto byte = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    v |= uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

void encode_headers(const std::vector<Header>& headers, std::string& out) {
  out.clear();
  for (const Header& h : headers) {
    put_varint(out, h.name.size());
    out += h.name;
    put_varint(out, h.value.size());
    out += h.value;
  }
}

bool decode_headers(std::string_view in, std::vector<Header>& out) {
  while (!in.empty()) {
    uint64_t n = 0;
    if (!get_varint(in, n) || n > in.size()) return false;
    Header h;
    h.name.assign(in.data(), n);
    in.remove_prefix(n);
    if (!get_varint(in, n) || n > in.size()) return false;
    h.value.assign(in.data(), n);
    in.remove_prefix(n);
    out.push_back(std::move(h));
  }
  return true;
}

class SqliteStore final : public BatchedStore {
 public:
  SqliteStore(std::string path, sqlite3* db, std::unique_ptr<FileLock> lock)
      : path_(std::move(path)), db_(db), lock_(std::move(lock)) {}

  ~SqliteStore() override {
    // Pending writes are dropped, as in a killed process: nothing is committed.
    batch_.clear();
    statements_.clear();
    sqlite3_close_v2(db_);
    // lock_ is released after the connection is closed (member order).
  }

  // Prepares every statement, reads the meta row. Errors: damage is kCorrupt.
  Status init(const StoreOptions& options);

  Result<Recovered> recover() override;

  void insert_message(QueueKey queue, PayloadRef payload, Micros entry_expires_at,
                      uint32_t delivery_count) override {
    assert((!payload || payload->id() <= static_cast<MessageId>(INT64_MAX)) &&
           "Store::insert_message: message ids above INT64_MAX do not fit SQLite's INTEGER");
    BatchedStore::insert_message(queue, std::move(payload), entry_expires_at, delivery_count);
  }

  Status write(StoreBatch& batch) override;

  StoreStats stats() const override {
    StoreStats s = stats_;
    s.pending = pending();
    s.file_bytes = file_bytes();
    return s;
  }
  const std::string& path() const override { return path_; }

 private:
  enum StatementId {
    kBegin,
    kCommit,
    kRollback,
    kPutExchange,
    kDeleteExchange,
    kPutQueue,
    kDeleteQueue,
    kPurgeQueue,
    kPutBinding,
    kDeleteBinding,
    kInsertMessage,
    kUpdateMessage,
    kDeleteMessage,
    kReadMeta,
    kWriteMeta,
    kStatementCount
  };
  sqlite3_stmt* stmt(StatementId id) const { return statements_[id]->get(); }

  // Runs a write statement to completion and resets it; adds the rows it
  // changed to `changed`. False on error, with SQLite's words in error_.
  bool run(StatementId id, int64_t* changed = nullptr);
  // Everything commit() writes between BEGIN and COMMIT.
  bool apply_batch(StoreBatch& batch, int64_t& rows, int64_t& message_delta);
  // The sizes only change inside commit() (appends, checkpoints), so they
  // are read when asked for after one, not on every commit.
  int64_t file_bytes() const;

  const std::string path_;
  sqlite3* const db_;
  const std::unique_ptr<FileLock> lock_;
  std::vector<std::unique_ptr<Stmt>> statements_;

  MessageId committed_max_id_ = 0;             // meta.max_message_id as committed
  int64_t committed_message_count_ = 0;        // meta.message_count as committed
  std::string error_;                          // SQLite's words for the last failed statement
  int error_code_ = SQLITE_OK;                 // and its (extended) code
  std::string header_scratch_;                 // encoded headers of the row being inserted
  StoreStats stats_;                           // file_bytes and pending are filled in by stats()
  mutable std::optional<int64_t> file_bytes_;  // nullopt: changed by a commit since last read
};

Status SqliteStore::init(const StoreOptions& options) {
  // locking_mode stays NORMAL although the file is ours alone (FileLock):
  // sqlite3 can then read the live file, to show what is on disk, and
  // EXCLUSIVE measured no faster here, where the fsync is the whole cost.
  // journal_size_limit: a WAL that a burst grew is cut back to 4 MiB at the
  // next checkpoint, so later commits append to a small file again.
  int rc = sqlite3_exec(
      db_,
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA journal_size_limit = 4194304;",
      nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return open_error(path_, db_, rc);
  if (options.TEST_max_page_count > 0) {
    const std::string sql =
        "PRAGMA max_page_count = " + std::to_string(options.TEST_max_page_count) + ";";
    rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return open_error(path_, db_, rc);
  }

  // The header judged the file before SQLite saw it; these read the live
  // values, which a committed but not yet checkpointed WAL may have changed.
  auto query_int = [this](const char* sql, int64_t& out) {
    Stmt q;
    int r = q.prepare(db_, sql);
    if (r != SQLITE_OK) return r;
    r = sqlite3_step(q.get());
    if (r == SQLITE_ROW) {
      out = sqlite3_column_int64(q.get(), 0);
      return SQLITE_OK;
    }
    return r == SQLITE_DONE ? SQLITE_CORRUPT : r;
  };
  int64_t application_id = 0;
  int64_t version = 0;
  if ((rc = query_int("PRAGMA application_id", application_id)) != SQLITE_OK ||
      (rc = query_int("PRAGMA user_version", version)) != SQLITE_OK) {
    return open_error(path_, db_, rc);
  }
  if (static_cast<uint32_t>(application_id) != kApplicationId) {
    return corrupt(path_, not_ours(static_cast<uint32_t>(application_id)));
  }
  if (version != kSchemaVersion) return corrupt(path_, version_mismatch(version));

  {
    Stmt q;
    rc = q.prepare(db_, "PRAGMA quick_check");
    if (rc != SQLITE_OK) return open_error(path_, db_, rc);
    rc = sqlite3_step(q.get());
    if (rc != SQLITE_ROW) return open_error(path_, db_, rc);
    const std::string_view verdict = column_bytes(q.get(), 0);
    if (verdict != "ok") {
      // The first problem is enough for a person; the rest is in the file.
      // SQLite opens its report with a "*** in database main ***" line.
      std::string_view first = verdict;
      if (first.starts_with("***") && first.find('\n') != std::string_view::npos) {
        first.remove_prefix(first.find('\n') + 1);
      }
      first = first.substr(0, first.find('\n'));
      return corrupt(path_, "damaged (quick_check: " + std::string(first) + ")");
    }
  }

  static const char* const kSql[kStatementCount] = {
      "BEGIN IMMEDIATE",
      "COMMIT",
      "ROLLBACK",
      "INSERT OR REPLACE INTO exchanges VALUES (?1, ?2, ?3)",
      "DELETE FROM exchanges WHERE name = ?1",
      "INSERT OR REPLACE INTO queues VALUES (?1, ?2, ?3)",
      "DELETE FROM queues WHERE key = ?1",
      "DELETE FROM messages WHERE queue = ?1",
      "INSERT OR IGNORE INTO bindings VALUES (?1, ?2, ?3)",
      "DELETE FROM bindings WHERE exchange = ?1 AND queue = ?2 AND binding_key = ?3",
      "INSERT INTO messages VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
      "UPDATE messages SET delivery_count = ?3 WHERE queue = ?1 AND id = ?2",
      "DELETE FROM messages WHERE queue = ?1 AND id = ?2",
      "SELECT max_message_id, message_count FROM meta WHERE id = 1",
      "UPDATE meta SET max_message_id = ?1, message_count = ?2 WHERE id = 1",
  };
  for (const char* sql : kSql) {
    auto s = std::make_unique<Stmt>();
    rc = s->prepare(db_, sql);
    if (rc != SQLITE_OK) {
      // Right marker and version but not our tables: a damaged file.
      return corrupt(path_, std::string("damaged (") + sqlite3_errmsg(db_) + ")");
    }
    statements_.push_back(std::move(s));
  }

  sqlite3_stmt* meta = stmt(kReadMeta);
  rc = sqlite3_step(meta);
  if (rc != SQLITE_ROW) {
    sqlite3_reset(meta);
    if (rc == SQLITE_DONE) return corrupt(path_, "damaged (the meta row is missing)");
    return open_error(path_, db_, rc);
  }
  committed_max_id_ = static_cast<MessageId>(sqlite3_column_int64(meta, 0));
  committed_message_count_ = sqlite3_column_int64(meta, 1);
  sqlite3_reset(meta);
  return Status::ok();
}

bool SqliteStore::run(StatementId id, int64_t* changed) {
  sqlite3_stmt* s = stmt(id);
  const int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
    error_ = sqlite3_errmsg(db_);
    error_code_ = sqlite3_extended_errcode(db_);
  }
  sqlite3_reset(s);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return false;
  if (changed != nullptr) *changed += sqlite3_changes64(db_);
  return true;
}

bool SqliteStore::apply_batch(StoreBatch& batch, int64_t& rows, int64_t& message_delta) {
  // Whole queues first, so single-message writes made after a delete_queue
  // land after its purge.
  for (QueueKey q : batch.purged_queues()) {
    sqlite3_bind_int64(stmt(kPurgeQueue), 1, q);
    int64_t purged = 0;
    if (!run(kPurgeQueue, &purged)) return false;
    rows += purged;
    message_delta -= purged;
  }
  for (const auto& [name, record] : batch.exchanges()) {
    sqlite3_stmt* s = stmt(record ? kPutExchange : kDeleteExchange);
    bind_text(s, 1, name);
    if (record) {
      bind_text(s, 2, record->kind);
      bind_text(s, 3, record->alternate_exchange);
    }
    if (!run(record ? kPutExchange : kDeleteExchange, &rows)) return false;
  }
  for (const auto& [key, record] : batch.queues()) {
    sqlite3_stmt* s = stmt(record ? kPutQueue : kDeleteQueue);
    sqlite3_bind_int64(s, 1, key);
    if (record) {
      bind_text(s, 2, record->name);
      bind_text(s, 3, record->options);
    }
    if (!run(record ? kPutQueue : kDeleteQueue, &rows)) return false;
  }
  for (const auto& [key, put] : batch.bindings()) {
    sqlite3_stmt* s = stmt(put ? kPutBinding : kDeleteBinding);
    bind_text(s, 1, std::get<0>(key));
    bind_text(s, 2, std::get<1>(key));
    bind_text(s, 3, std::get<2>(key));
    if (!run(put ? kPutBinding : kDeleteBinding, &rows)) return false;
  }

  // Messages in key order: one walk down the b-tree instead of a random one.
  for (const auto& [key, m] : batch.messages_in_order()) {
    switch (m->op) {
      case StoreBatch::Op::kInsert: {
        sqlite3_stmt* s = stmt(kInsertMessage);
        const Payload& p = *m->payload;
        sqlite3_bind_int64(s, 1, key.queue);
        sqlite3_bind_int64(s, 2, to_sql(key.id));
        sqlite3_bind_int64(s, 3, m->delivery_count);
        sqlite3_bind_int64(s, 4, p.expires_at());
        sqlite3_bind_int64(s, 5, m->entry_expires_at);
        bind_text(s, 6, p.routing_key());
        bind_text(s, 7, p.content_type());
        encode_headers(p.headers(), header_scratch_);
        if (header_scratch_.empty()) {
          sqlite3_bind_null(s, 8);
        } else {
          bind_blob(s, 8, header_scratch_);
        }
        bind_blob(s, 9, p.body());
        int64_t added = 0;
        if (!run(kInsertMessage, &added)) return false;
        rows += added;
        message_delta += added;
        break;
      }
      case StoreBatch::Op::kUpdate: {
        sqlite3_stmt* s = stmt(kUpdateMessage);
        sqlite3_bind_int64(s, 1, key.queue);
        sqlite3_bind_int64(s, 2, to_sql(key.id));
        sqlite3_bind_int64(s, 3, m->delivery_count);
        if (!run(kUpdateMessage, &rows)) return false;
        break;
      }
      case StoreBatch::Op::kRemove: {
        sqlite3_stmt* s = stmt(kDeleteMessage);
        sqlite3_bind_int64(s, 1, key.queue);
        sqlite3_bind_int64(s, 2, to_sql(key.id));
        int64_t removed = 0;
        if (!run(kDeleteMessage, &removed)) return false;
        rows += removed;
        message_delta -= removed;
        break;
      }
    }
  }

  const MessageId max_id = std::max(committed_max_id_, batch.max_inserted_id());
  if (max_id != committed_max_id_ || message_delta != 0) {
    sqlite3_stmt* s = stmt(kWriteMeta);
    sqlite3_bind_int64(s, 1, to_sql(max_id));
    sqlite3_bind_int64(s, 2, committed_message_count_ + message_delta);
    if (!run(kWriteMeta)) return false;
  }
  return true;
}

Status SqliteStore::write(StoreBatch& batch) {
  // An id handed out and coalesced away still counts as used: the meta row
  // must learn of it, or a recovered broker could hand it out again.
  if (batch.pending() == 0 && batch.max_inserted_id() <= committed_max_id_) return Status::ok();

  int64_t rows = 0;
  int64_t message_delta = 0;
  bool ok = run(kBegin);
  ok = ok && apply_batch(batch, rows, message_delta);
  ok = ok && run(kCommit);
  if (!ok) {
    // Some errors (a full disk among them) may already have rolled the
    // transaction back; only roll back what is still open.
    const std::string first_error = error_;
    const int first_code = error_code_;
    if (sqlite3_get_autocommit(db_) == 0) {
      (void)run(kRollback);  // nothing more to do if it fails: the batch is dropped anyway
      error_ = first_error;
    }
    file_bytes_.reset();  // a rolled-back transaction may still have grown the WAL
    ++stats_.failed_commits;
    stats_.disk_full = (first_code & 0xff) == SQLITE_FULL;
    stats_.last_failure = first_error;
    return io_error(path_, "commit failed: " + error_);
  }
  committed_max_id_ = std::max(committed_max_id_, batch.max_inserted_id());
  committed_message_count_ += message_delta;
  ++stats_.commits;
  stats_.disk_full = false;
  stats_.rows_written += static_cast<uint64_t>(rows);
  file_bytes_.reset();
  return Status::ok();
}

int64_t SqliteStore::file_bytes() const {
  if (!file_bytes_) {
    int64_t total = 0;
    struct stat st;
    if (::stat(path_.c_str(), &st) == 0) total += st.st_size;
    if (::stat((path_ + "-wal").c_str(), &st) == 0) total += st.st_size;
    file_bytes_ = total;
  }
  return *file_bytes_;
}

Result<Recovered> SqliteStore::recover() {
  assert(pending() == 0 && "Store::recover: call it right after open(), before any write");
  Recovered out;
  out.max_message_id = committed_max_id_;
  auto fail = [this](int rc) -> Status {
    const int primary = rc & 0xff;
    const std::string words = sqlite3_errmsg(db_);
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
      return corrupt(path_, "damaged (" + words + ")");
    }
    return io_error(path_, "cannot read: " + words);
  };

  Stmt q;
  int rc = q.prepare(db_, "SELECT name, kind, alternate_exchange FROM exchanges ORDER BY name");
  if (rc != SQLITE_OK) return fail(rc);
  while ((rc = sqlite3_step(q.get())) == SQLITE_ROW) {
    ExchangeRecord& e = out.exchanges.emplace_back();
    e.name = column_bytes(q.get(), 0);
    e.kind = column_bytes(q.get(), 1);
    e.alternate_exchange = column_bytes(q.get(), 2);
  }
  if (rc != SQLITE_DONE) return fail(rc);

  Stmt qq;
  rc = qq.prepare(db_, "SELECT key, name, options FROM queues ORDER BY key");
  if (rc != SQLITE_OK) return fail(rc);
  while ((rc = sqlite3_step(qq.get())) == SQLITE_ROW) {
    QueueRecord& r = out.queues.emplace_back();
    r.key = static_cast<QueueKey>(sqlite3_column_int64(qq.get(), 0));
    r.name = column_bytes(qq.get(), 1);
    r.options = column_bytes(qq.get(), 2);
  }
  if (rc != SQLITE_DONE) return fail(rc);

  Stmt qb;
  rc = qb.prepare(db_,
                  "SELECT exchange, queue, binding_key FROM bindings "
                  "ORDER BY exchange, queue, binding_key");
  if (rc != SQLITE_OK) return fail(rc);
  while ((rc = sqlite3_step(qb.get())) == SQLITE_ROW) {
    BindingRecord& b = out.bindings.emplace_back();
    b.exchange = column_bytes(qb.get(), 0);
    b.queue = column_bytes(qb.get(), 1);
    b.binding_key = column_bytes(qb.get(), 2);
  }
  if (rc != SQLITE_DONE) return fail(rc);

  // The one big read: map the file instead of copying every page through
  // SQLite's page cache (1M rows: 1.2-1.3M rows/s against 1.0-1.15M), only
  // for as long as it lasts, so a later disk error cannot turn into SIGBUS.
  sqlite3_exec(db_, "PRAGMA mmap_size = 4294967296", nullptr, nullptr, nullptr);
  std::string words;
  bool bad_headers = false;
  {
    Stmt qm;
    rc = qm.prepare(db_,
                    "SELECT queue, id, delivery_count, expires_at, entry_expires_at, routing_key, "
                    "content_type, headers, body FROM messages ORDER BY queue, id");
    if (rc == SQLITE_OK) {
      // meta.message_count is only a hint for the reserve: a damaged file may
      // hold any number there (recovery_fuzz: 2^60 threw length_error out of
      // recover()), and no row takes less than a byte of the file.
      out.messages.reserve(static_cast<size_t>(
          std::clamp<int64_t>(committed_message_count_, 0, std::max<int64_t>(file_bytes(), 0))));
      sqlite3_stmt* s = qm.get();
      while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        MessageRecord& m = out.messages.emplace_back();
        m.queue = static_cast<QueueKey>(sqlite3_column_int64(s, 0));
        m.id = static_cast<MessageId>(sqlite3_column_int64(s, 1));
        m.delivery_count = static_cast<uint32_t>(sqlite3_column_int64(s, 2));
        m.expires_at = sqlite3_column_int64(s, 3);
        m.entry_expires_at = sqlite3_column_int64(s, 4);
        m.routing_key = column_bytes(s, 5);
        m.content_type = column_bytes(s, 6);
        const std::string_view headers = column_bytes(s, 7);
        if (!headers.empty() && !decode_headers(headers, m.headers)) {
          bad_headers = true;
          break;
        }
        m.body = column_bytes(s, 8);
      }
    }
    words = sqlite3_errmsg(db_);
  }
  // Unmapped again before the first write; a failure here only costs speed.
  sqlite3_exec(db_, "PRAGMA mmap_size = 0", nullptr, nullptr, nullptr);
  if (bad_headers) {
    const MessageRecord& m = out.messages.back();
    return corrupt(path_, "damaged (message " + std::to_string(m.id) + " on queue " +
                              std::to_string(m.queue) + " has malformed headers)");
  }
  if (rc != SQLITE_DONE) {
    const int primary = rc & 0xff;
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
      return corrupt(path_, "damaged (" + words + ")");
    }
    return io_error(path_, "cannot read: " + words);
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<Store>> Store::open(const std::string& path, const StoreOptions& options) {
  auto lock = std::make_unique<FileLock>();
  if (Status s = lock->acquire(path); !s.is_ok()) return s;

  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return io_error(path, std::string("cannot read: ") + std::strerror(errno));
    if (Status s = create_file(path); !s.is_ok()) return s;
  } else if (S_ISREG(st.st_mode) && st.st_size == 0) {
    // Empty: nothing to lose, and what SQLite itself would call a new database.
    if (Status s = create_file(path); !s.is_ok()) return s;
  }
  if (Status s = check_header(path); !s.is_ok()) return s;

  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = open_error(path, db, rc);
    sqlite3_close_v2(db);
    return s;
  }
  auto store = std::make_unique<SqliteStore>(path, db, std::move(lock));
  if (Status s = store->init(options); !s.is_ok()) return s;
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace wmq

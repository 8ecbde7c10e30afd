// Store: the broker's durable memory, one SQLite file (WAL, synchronous=FULL).
//
// What goes in: durable exchanges, durable queues, bindings between durable
// objects, and persistent messages on durable queues. Transient queues and
// non-persistent messages never reach the Store.
//
// Group commit. Writes are not applied one by one: each call below adds to the
// pending batch, and commit() writes the whole batch in one transaction. The
// Store coalesces within a batch: a message inserted and removed before the
// batch commits is never written; a delivery count set before its insert
// commits is folded into the insert. Deletes and updates are applied in key
// order, so SQLite walks its b-tree once. When commit() returns ok, every
// write of the batch is on disk (synchronous=FULL); when it fails, none is,
// the transaction is rolled back and the batch is dropped: the caller nacks
// whatever was waiting on it.
//
// Crash. Destroying a Store with writes pending does not commit them: the
// connection closes and SQLite rolls back, exactly as in a killed process.
//
// Ownership: the file is held exclusively (an advisory lock on FILE.lock)
// from open() until the Store is destroyed; a second open of the same file,
// from this process or another, fails with Code::kBusy.
//
// Payloads. insert_message() takes a PayloadRef: the Store becomes one more
// owner of the caller's immutable Payload (a reference count, never a copy of
// the body) and holds that reference until the batch it belongs to is done
// with it: written by commit(), dropped by a failed commit(), cancelled by a
// remove_message() or delete_queue() before the commit, or discarded when the
// Store is destroyed. The caller keeps its own references and may release
// them at once; the Store never changes a payload, only counts it.
//
// Committing off the broker's thread. commit_async() hands the batch over and
// returns; its answer comes back later as a call of `done`, on the broker's
// thread, when the Store's owner lets it (a Store that commits on a thread of
// its own, as stomp's CommitThread, answers from its owner's event loop). The
// default commits at once and answers before returning, which is what the
// simulator's MemoryStore and a bare SqliteStore do: the broker then behaves
// exactly as with commit().
//
// Thread-safety: a Store belongs to the broker's single thread, except
// write(), which a Store wrapper may call on one thread of its own.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "broker/clock.h"
#include "broker/message.h"
#include "broker/status.h"

namespace wmq {

// Queues are known to the Store by a small integer the broker assigns and
// keeps for the life of the queue (persisted with its definition).
using QueueKey = uint32_t;

struct ExchangeRecord {
  std::string name;
  std::string kind;  // "direct" | "fanout" | "topic"
  std::string alternate_exchange;
  bool operator==(const ExchangeRecord&) const = default;
};

struct QueueRecord {
  QueueKey key = 0;
  std::string name;
  // Queue settings, encoded by the broker (JSON); the Store does not read it.
  std::string options;
  bool operator==(const QueueRecord&) const = default;
};

struct BindingRecord {
  std::string exchange;
  std::string queue;
  std::string binding_key;
  bool operator==(const BindingRecord&) const = default;
};

// One persistent message on one durable queue.
struct MessageRecord {
  QueueKey queue = 0;
  MessageId id = 0;
  std::string routing_key;
  std::string content_type;
  std::vector<Header> headers;
  std::string body;
  Micros expires_at = kNever;        // the message's own deadline
  Micros entry_expires_at = kNever;  // the deadline on this queue (queue TTL)
  uint32_t delivery_count = 0;       // deliveries made before the last commit
};

struct StoreOptions {
  // Test hook: PRAGMA max_page_count, to make SQLite report a full disk.
  int64_t TEST_max_page_count = 0;
};

// What recover() hands back: definitions, then messages per queue in queue
// (id) order.
struct Recovered {
  std::vector<ExchangeRecord> exchanges;
  std::vector<QueueRecord> queues;
  std::vector<BindingRecord> bindings;
  std::vector<MessageRecord> messages;  // ordered by (queue, id)
  MessageId max_message_id = 0;         // over every message ever stored
};

struct StoreStats {
  uint64_t commits = 0;         // successful commits
  uint64_t failed_commits = 0;  // commits that failed and were rolled back
  uint64_t rows_written = 0;    // inserts + updates + deletes applied
  uint64_t pending = 0;         // writes waiting for the next commit
  int64_t file_bytes = 0;       // database file + WAL, as last seen after a commit
  // The last commit failed because the disk (or the file's page limit) is
  // full (SQLITE_FULL); the next commit that succeeds clears it.
  bool disk_full = false;
  // The store's words for why the last failed commit failed ("database or
  // disk is full"); empty until one fails. Kept after later successes.
  std::string last_failure;
};

class StoreBatch;

class Store {
 public:
  using CommitDone = std::function<void(Status)>;

  // Opens (creating if absent) the broker file at `path`. Errors, each naming
  // the file: kBusy (held by another live broker), kCorrupt (not a SQLite
  // file, a SQLite file that is not ours, another schema version, damaged),
  // kIoError (cannot create or read). Nothing is written to a file that is
  // not ours.
  static Result<std::unique_ptr<Store>> open(const std::string& path,
                                             const StoreOptions& options = {});
  virtual ~Store() = default;

  // Reads everything back. Call once, right after open().
  virtual Result<Recovered> recover() = 0;

  // Definitions, applied in the next commit.
  virtual void put_exchange(const ExchangeRecord& exchange) = 0;
  virtual void delete_exchange(const std::string& name) = 0;
  virtual void put_queue(const QueueRecord& queue) = 0;
  virtual void delete_queue(QueueKey queue) = 0;  // its messages go too
  virtual void put_binding(const BindingRecord& binding) = 0;
  virtual void delete_binding(const BindingRecord& binding) = 0;

  // Messages, applied in the next commit.
  // Writes `payload` (not null; its id must not already have a write pending
  // on `queue`) as a message of `queue`. The Store keeps the reference it is
  // given until the batch is done with it (see Payloads above); pass a copy to
  // share, or move in a reference you no longer need.
  virtual void insert_message(QueueKey queue, PayloadRef payload, Micros entry_expires_at,
                              uint32_t delivery_count) = 0;
  virtual void set_delivery_count(QueueKey queue, MessageId id, uint32_t delivery_count) = 0;
  virtual void remove_message(QueueKey queue, MessageId id) = 0;

  // Writes waiting for the next commit (after coalescing).
  virtual size_t pending() const = 0;
  // Writes the batch in one transaction. On error: kIoError with SQLite's
  // words and the file name; the batch is dropped, nothing half-written.
  virtual Status commit() = 0;

  // Hands the pending batch over to be committed (later writes start the
  // next batch) and calls `done` once with what commit() would have
  // returned, on the broker's thread: at once by default, or later, after
  // every batch handed over before it. Destroying the Store first is a
  // crash: `done` is never called and the batch may or may not be on disk.
  virtual void commit_async(CommitDone done) { done(commit()); }
  // Blocks until every batch handed to commit_async() is answered (their
  // `done` run inside this call). Nothing to wait for by default.
  virtual void drain() {}
  // Writes `batch` instead of the pending one, in one transaction, with
  // commit()'s outcome; leaves `batch` as it was (the caller clears it, on
  // the broker's thread: it holds payload references). For a wrapper that
  // builds batches itself and writes them on a thread of its own; that
  // thread is then the only one using this Store. SqliteStore and the
  // simulator's stores can; the default asserts.
  virtual Status write(StoreBatch& batch);

  virtual StoreStats stats() const = 0;
  virtual const std::string& path() const = 0;
};

}  // namespace wmq

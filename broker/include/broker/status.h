// Status and Result: how the broker reports an expected failure.
//
// Every call that can fail for a reason outside the caller's control (a bad
// message, an unknown queue, a full queue, a tag that is no longer valid, a
// closed session, a disk error) returns a Status or a Result<T>. Nothing is
// thrown across the broker's API for these. A Status carries a code, for
// programs, and a message, for people: the message names the object and the
// reason, e.g. `queue "grill": full (max-length 50, overflow reject-publish)`.
//
// Programmer errors (a null sink, an out-of-range enum) assert instead.
//
// Thread-safety: values; no shared state.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace wmq {

// Named error codes, all in one place. Keep `code_name` in status.cpp in step.
enum class Code {
  kOk = 0,
  kInvalid,        // the message or argument is malformed (bad JSON, bad field)
  kTooLarge,       // a body or frame over a configured limit
  kUnknownFormat,  // a content type nobody validates or translates
  kNotFound,       // unknown exchange, queue, session, consumer
  kExists,         // declared twice with different settings
  kUnroutable,     // no binding matched and no alternate exchange took it
  kFull,           // a queue at max-length with overflow reject-publish
  kUnknownTag,     // ack/nack of a tag never issued, or already settled
  kClosed,         // the session is closed or dead
  kIoError,        // the disk said no (commit failed, file unreadable)
  kCorrupt,        // a data file that is not ours, of another version, or damaged
  kBusy,           // a data file held by another live broker
};

// A short lower-case name for a code ("full", "unknown-tag"): stable, for logs and reports.
const char* code_name(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status ok() { return Status(); }
  static Status error(Code code, std::string message) {
    assert(code != Code::kOk && "Status::error needs a failure code; use Status::ok()");
    return Status(code, std::move(message));
  }

  bool is_ok() const { return code_ == Code::kOk; }
  explicit operator bool() const { return is_ok(); }
  Code code() const { return code_; }
  // The sentence for a person; empty when ok.
  const std::string& message() const { return message_; }

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status saying why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).is_ok() && "a Result built from a Status must carry an error");
  }

  bool is_ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return is_ok(); }
  const T& value() const& {
    assert(is_ok() && "Result::value() on an error; check is_ok() first");
    return std::get<T>(v_);
  }
  T& value() & {
    assert(is_ok() && "Result::value() on an error; check is_ok() first");
    return std::get<T>(v_);
  }
  T&& value() && {
    assert(is_ok() && "Result::value() on an error; check is_ok() first");
    return std::get<T>(std::move(v_));
  }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  Status status() const { return is_ok() ? Status::ok() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace wmq

// STOMP 1.2 frame codec: bytes to frames and frames to bytes, nothing else.
//
// This is the innermost layer of the broker's network front door. It knows
// the wire format of the STOMP 1.2 specification (stomp.github.io) and no
// more: no sockets, no sessions, no meaning of any header but
// content-length. The socket reader feeds it bytes; the session gets frames,
// heart-beats or one protocol error, sends ERROR and closes.
//
// The wire format, as this codec reads it:
//
//   frame   = command EOL *(header EOL) EOL body NUL
//   EOL     = [CR] LF
//   header  = name ":" value         (split at the first ':'; later ones are value)
//   between frames, each EOL is a heart-beat
//
// Header names and values are escaped (\r \n \c \\) in every frame except
// CONNECT, STOMP and CONNECTED. The spec names CONNECT and CONNECTED; STOMP
// is CONNECT's other name and clients treat it alike (python3-stomp sends
// both unescaped), so a backslash in a passcode must not break the login.
// With content-length the body is exactly that many bytes (NULs allowed) and
// the next byte must be the NUL; without it the body ends at the first NUL.
// A repeated header is kept as sent; the first occurrence is the one that
// counts (Frame::header, content-length).
//
// Thread-safety: a FrameParser belongs to one connection and one thread;
// the free functions are pure.
#pragma once

#include <cassert>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/status.h"

namespace wmq::stomp {

// One STOMP frame. Header names and values are decoded (unescaped); the
// body is raw bytes and may hold NULs.
struct Frame {
  std::string command;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The value of the first header called `name` (names are case-sensitive),
  // or nullopt. The view points into this frame: it dies with the frame or
  // with any change to `headers`.
  std::optional<std::string_view> header(std::string_view name) const;

  bool operator==(const Frame&) const = default;
};

// The commands a client sends: what a broker-side parser accepts.
std::vector<std::string> client_commands();
// The commands a server sends: what a client-side parser accepts.
std::vector<std::string> server_commands();

// False for CONNECT, STOMP and CONNECTED, whose headers travel unescaped;
// true for every other command.
bool headers_escaped(std::string_view command);

// Escapes CR, LF, ':' and '\' as \r \n \c \\ for a header name or value of
// an escaped frame. Never fails; returns a new string.
std::string escape_header(std::string_view raw);

// The inverse of escape_header. Fails with kInvalid on an undefined escape
// (e.g. "\t") or a lone '\' at the end, as the spec makes both fatal; the
// message quotes the text and the escape, e.g.
//   header text "a\\tb": undefined escape "\\t"
// A raw ':' is not an error here (the caller split the line already).
Result<std::string> unescape_header(std::string_view escaped);

// Upper bounds on what one frame may hold. Every limit is checked at the
// byte that crosses it, not at the end of the line or frame, so a parser
// drained after each feed never holds more than max_frame_size bytes of a
// frame plus the last feed. Exceeding any is a kTooLarge error that names
// the limit.
struct Limits {
  // Whole frame, command to NUL inclusive: a 1 MiB body plus 64 KiB for the
  // command and headers. At most SIZE_MAX / 4 (asserted).
  size_t max_frame_size = (size_t{1} << 20) + (size_t{64} << 10);
  // Header lines per frame, repeated names included.
  size_t max_headers = 100;
  // Bytes in one header line, escapes included, CR/LF excluded.
  size_t max_header_line = size_t{8} << 10;
  // Bytes in the command line, CR/LF excluded.
  size_t max_command_length = 32;
};

// What FrameParser::next() found. Move the frame out with take_frame().
class [[nodiscard]] ParseResult {
 public:
  enum class Kind {
    kNeedMore,   // no complete frame buffered; feed more bytes
    kHeartBeat,  // one EOL ("\n" or "\r\n") between frames: the peer is alive
    kFrame,      // a complete, valid frame
    kError,      // a protocol error; the parser is poisoned
  };

  static ParseResult need_more() { return ParseResult(Kind::kNeedMore); }
  static ParseResult heart_beat() { return ParseResult(Kind::kHeartBeat); }
  static ParseResult with_frame(Frame f);
  static ParseResult with_error(Status s);

  Kind kind() const { return kind_; }
  bool is_frame() const { return kind_ == Kind::kFrame; }
  bool is_heart_beat() const { return kind_ == Kind::kHeartBeat; }
  bool need_more_bytes() const { return kind_ == Kind::kNeedMore; }
  bool is_error() const { return kind_ == Kind::kError; }

  const Frame& frame() const {
    assert(is_frame() && "ParseResult::frame() on a result that is not a frame; check is_frame()");
    return frame_;
  }
  Frame take_frame() {
    assert(is_frame() && "ParseResult::take_frame() on a result that is not a frame");
    return std::move(frame_);
  }
  // ok unless kind() == kError; then a code (kInvalid or kTooLarge) and a
  // sentence naming the frame, the fault and a short escaped snippet.
  const Status& status() const { return status_; }

 private:
  explicit ParseResult(Kind k) : kind_(k) {}
  Kind kind_;
  Frame frame_;
  Status status_;
};

// An incremental STOMP frame parser for one byte stream.
//
// Feed bytes as they arrive, then call next() until it says kNeedMore (or
// kError). Bytes may arrive split anywhere: the results, error text
// included, are the same as if the stream had come in one piece. Work is
// linear in the bytes fed: a search resumes where it stopped, and consumed
// bytes are dropped in amortised O(1) per byte.
//
// After an error the parser is poisoned: next() returns that same error and
// feed() discards its input. A protocol error is final for the connection
// (send ERROR and close), so nothing is gained by resynchronising.
class FrameParser {
 public:
  // `known_commands` is the set of commands accepted; any other is an error.
  // A client-side parser passes server_commands().
  explicit FrameParser(Limits limits = {},
                       std::vector<std::string> known_commands = client_commands());

  // Appends `n` bytes (copied; `data` may be reused at once). Never fails;
  // the bytes are judged by next(). Bytes fed without draining next() are
  // held: the caller bounds them by draining after each feed.
  void feed(const char* data, size_t n);
  void feed(std::string_view bytes) { feed(bytes.data(), bytes.size()); }

  // The next frame, heart-beat, kNeedMore, or the (sticky) error; see
  // ParseResult. Errors: kInvalid for a malformed frame (unknown command,
  // bad header line or escape, bad content-length, no NUL after a counted
  // body, CR without LF between frames), kTooLarge for a limit crossed.
  // Not errors here: unknown, repeated or empty-valued headers, raw ':' in a
  // value, a body on a command that should have none, bytes that are not
  // UTF-8. Those are the session's to judge, or nobody's.
  ParseResult next();

  const Limits& limits() const { return limits_; }

  // Test hooks: bytes held in the buffer now (consumed ones included until
  // dropped); bytes examined by searches and bytes moved by compaction,
  // both counted since construction.
  size_t TEST_held_bytes() const { return buf_.size(); }
  size_t TEST_bytes_scanned() const { return scanned_; }
  size_t TEST_bytes_moved() const { return moved_; }

 private:
  enum class State { kBetweenFrames, kCommand, kHeaders, kBody, kFailed };
  enum class LineScan { kFound, kNeedMore, kLineTooLong, kFrameTooLarge };

  LineScan scan_line(size_t max_len, std::string_view* line);
  std::string long_line_snippet(size_t max_len) const;
  ParseResult fail(Code code, std::string message);
  ParseResult too_large();
  ParseResult start_body();
  ParseResult finish_frame(size_t nul);
  std::string frame_name() const;

  Limits limits_;
  std::vector<std::string> known_;
  State state_ = State::kBetweenFrames;

  std::string buf_;                       // bytes fed; [pos_, size) not yet consumed
  size_t pos_ = 0;                        // first unconsumed byte
  size_t frame_start_ = 0;                // first byte of the current frame's command
  size_t line_start_ = 0;                 // first byte of the line being read
  size_t scan_ = 0;                       // where the current search resumes; never moves back
  size_t body_start_ = 0;                 // first body byte, once the headers are done
  std::optional<size_t> content_length_;  // of the current frame, once known
  bool escaped_ = true;                   // whether the current frame's headers are escaped

  Frame frame_;   // the frame being assembled: command and headers so far
  Status error_;  // the sticky error once state_ == kFailed
  size_t scanned_ = 0;
  size_t moved_ = 0;
};

// Appends the wire form of `frame` to `*out`: command, headers (escaped
// unless `escape_headers` is false or the command is CONNECT, STOMP or
// CONNECTED), a content-length header when the body is non-empty and the
// caller set none, a blank line, the body and the NUL.
// Programmer errors (assert): an empty command or one holding CR, LF or NUL;
// a header that cannot travel unescaped (CR or LF anywhere, ':' in a name);
// a caller-set content-length that is not the body's size.
void serialize_to(const Frame& frame, std::string* out, bool escape_headers = true);

// serialize_to into a new string.
std::string serialize(const Frame& frame, bool escape_headers = true);

}  // namespace wmq::stomp

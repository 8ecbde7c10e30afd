#include "stomp/frame.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>

namespace wmq::stomp {

namespace {

// At most this many bytes of the peer's input go into an error message.
constexpr size_t kSnippet = 32;

// Consumed bytes are dropped once there are at least this many and they
// outnumber the bytes still held, so each byte is moved at most once.
constexpr size_t kCompactAtLeast = 4096;

size_t add_saturating(size_t a, size_t b) {
  return a > std::numeric_limits<size_t>::max() - b ? std::numeric_limits<size_t>::max() : a + b;
}

// Quotes bytes from the peer for an error message: printable ASCII as is,
// '"' and '\' backslashed, CR LF TAB by name, any other byte as \xNN, so the
// log line stays one line and shows exactly what came. Longer input is cut
// to `max` bytes and marked with "..." after the closing quote.
std::string quote(std::string_view bytes, size_t max = kSnippet) {
  static constexpr char kHex[] = "0123456789abcdef";
  const bool cut = bytes.size() > max;
  if (cut) bytes = bytes.substr(0, max);
  std::string out = "\"";
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out += ch;
        } else {
          out += "\\x";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        }
    }
  }
  out += '"';
  if (cut) out += "...";
  return out;
}

// Reads a content-length: one or more ASCII digits, nothing else. A value
// past size_t saturates; the caller's limit check rejects it with the rest.
bool parse_length(std::string_view text, size_t* out) {
  if (text.empty()) return false;
  size_t n = 0;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return false;
    const auto digit = static_cast<size_t>(ch - '0');
    n = n > (std::numeric_limits<size_t>::max() - digit) / 10 ? std::numeric_limits<size_t>::max()
                                                              : n * 10 + digit;
  }
  *out = n;
  return true;
}

void append_escaped(std::string_view raw, std::string* out) {
  if (raw.find_first_of("\r\n:\\") == std::string_view::npos) {
    out->append(raw);
    return;
  }
  for (char ch : raw) {
    switch (ch) {
      case '\r':
        out->append("\\r");
        break;
      case '\n':
        out->append("\\n");
        break;
      case ':':
        out->append("\\c");
        break;
      case '\\':
        out->append("\\\\");
        break;
      default:
        out->push_back(ch);
    }
  }
}

// Decodes `in` into `*out`. On an undefined or unfinished escape returns
// false with `*reason` saying which; `where` ends that sentence.
bool unescape_into(std::string_view in, std::string* out, std::string* reason,
                   std::string_view where) {
  const size_t first = in.find('\\');
  if (first == std::string_view::npos) {
    out->assign(in);
    return true;
  }
  out->assign(in.substr(0, first));
  for (size_t i = first; i < in.size(); ++i) {
    const char ch = in[i];
    if (ch != '\\') {
      out->push_back(ch);
      continue;
    }
    if (i + 1 == in.size()) {
      *reason = "unfinished escape \"\\\\\" at the end";
      reason->append(where);
      return false;
    }
    switch (in[++i]) {
      case 'r':
        out->push_back('\r');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'c':
        out->push_back(':');
        break;
      case '\\':
        out->push_back('\\');
        break;
      default:
        *reason = "undefined escape " + quote(in.substr(i - 1, 2));
        return false;
    }
  }
  return true;
}

}  // namespace

std::optional<std::string_view> Frame::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::vector<std::string> client_commands() {
  return {"CONNECT", "STOMP", "SEND",   "SUBSCRIBE", "UNSUBSCRIBE", "ACK",
          "NACK",    "BEGIN", "COMMIT", "ABORT",     "DISCONNECT"};
}

std::vector<std::string> server_commands() {
  return {"CONNECTED", "MESSAGE", "RECEIPT", "ERROR"};
}

bool headers_escaped(std::string_view command) {
  return command != "CONNECT" && command != "STOMP" && command != "CONNECTED";
}

std::string escape_header(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  append_escaped(raw, &out);
  return out;
}

Result<std::string> unescape_header(std::string_view escaped) {
  std::string out;
  std::string reason;
  if (!unescape_into(escaped, &out, &reason, "")) {
    return Status::error(Code::kInvalid, "header text " + quote(escaped) + ": " + reason);
  }
  return out;
}

ParseResult ParseResult::with_frame(Frame f) {
  ParseResult r(Kind::kFrame);
  r.frame_ = std::move(f);
  return r;
}

ParseResult ParseResult::with_error(Status s) {
  assert(!s.is_ok() && "ParseResult::with_error needs a failed Status");
  ParseResult r(Kind::kError);
  r.status_ = std::move(s);
  return r;
}

FrameParser::FrameParser(Limits limits, std::vector<std::string> known_commands)
    : limits_(limits), known_(std::move(known_commands)) {
  // Positions are buffer offsets plus limits; this keeps those sums exact.
  assert(limits_.max_frame_size <= SIZE_MAX / 4 &&
         "FrameParser: Limits::max_frame_size must be at most SIZE_MAX / 4");
}

void FrameParser::feed(const char* data, size_t n) {
  if (state_ == State::kFailed || n == 0) return;
  assert(data != nullptr && "FrameParser::feed: null data with a non-zero length");
  if (pos_ > 0 &&
      (pos_ == buf_.size() || (pos_ >= kCompactAtLeast && pos_ >= buf_.size() - pos_))) {
    moved_ += buf_.size() - pos_;
    buf_.erase(0, pos_);
    // Positions inside a frame move with the bytes; between frames they are
    // dead and get set afresh when the next command starts.
    if (state_ != State::kBetweenFrames) {
      frame_start_ -= pos_;
      line_start_ -= pos_;
      scan_ -= pos_;
      body_start_ -= pos_;
    }
    pos_ = 0;
  }
  buf_.append(data, n);
}

ParseResult FrameParser::fail(Code code, std::string message) {
  state_ = State::kFailed;
  error_ = Status::error(code, std::move(message));
  // Nothing more will be read: give the memory back.
  std::string().swap(buf_);
  pos_ = 0;
  return ParseResult::with_error(error_);
}

std::string FrameParser::frame_name() const {
  return frame_.command.empty() ? std::string("STOMP frame") : frame_.command + " frame";
}

// Finds the LF ending the line that starts at line_start_, within the
// limits. An LF at or past line_start_ + max_len + 2 would make the line too
// long (one byte more than allowed, plus a CR); a byte at or past
// frame_start_ + max_frame_size would make the frame too large. Scanning
// stops at whichever comes first, so the verdict depends only on the bytes,
// never on how they were split.
FrameParser::LineScan FrameParser::scan_line(size_t max_len, std::string_view* line) {
  const size_t line_cap = add_saturating(line_start_, add_saturating(max_len, 2));
  const size_t frame_cap = add_saturating(frame_start_, limits_.max_frame_size);
  const size_t cap = std::min(line_cap, frame_cap);
  const size_t stop = std::min(buf_.size(), cap);
  if (scan_ < stop) {
    scanned_ += stop - scan_;
    const void* hit = std::memchr(buf_.data() + scan_, '\n', stop - scan_);
    if (hit != nullptr) {
      const size_t lf = static_cast<size_t>(static_cast<const char*>(hit) - buf_.data());
      size_t end = lf;
      if (end > line_start_ && buf_[end - 1] == '\r') --end;
      scan_ = lf + 1;
      if (end - line_start_ > max_len) return LineScan::kLineTooLong;
      *line = std::string_view(buf_).substr(line_start_, end - line_start_);
      return LineScan::kFound;
    }
    scan_ = stop;
  }
  if (buf_.size() < cap) return LineScan::kNeedMore;
  return frame_cap <= line_cap ? LineScan::kFrameTooLarge : LineScan::kLineTooLong;
}

// The first bytes of an over-long line, the same however the input was
// split: at least max_len + 1 bytes of the line are known to be there.
std::string FrameParser::long_line_snippet(size_t max_len) const {
  const size_t shown = std::min(kSnippet, max_len);
  return quote(std::string_view(buf_).substr(line_start_, shown + 1), shown);
}

ParseResult FrameParser::too_large() {
  return fail(Code::kTooLarge, frame_name() + ": over max-frame-size (" +
                                   std::to_string(limits_.max_frame_size) + " bytes)");
}

ParseResult FrameParser::next() {
  for (;;) {
    switch (state_) {
      case State::kFailed:
        return ParseResult::with_error(error_);

      case State::kBetweenFrames: {
        if (pos_ == buf_.size()) return ParseResult::need_more();
        if (buf_[pos_] == '\n') {
          pos_ += 1;
          return ParseResult::heart_beat();
        }
        if (buf_[pos_] == '\r') {
          if (pos_ + 1 == buf_.size()) return ParseResult::need_more();
          if (buf_[pos_ + 1] == '\n') {
            pos_ += 2;
            return ParseResult::heart_beat();
          }
          return fail(Code::kInvalid, "STOMP frame: bad end of line " +
                                          quote(std::string_view(buf_).substr(pos_, 2)) +
                                          " between frames (CR without LF)");
        }
        frame_start_ = line_start_ = scan_ = pos_;
        state_ = State::kCommand;
        break;
      }

      case State::kCommand: {
        std::string_view line;
        switch (scan_line(limits_.max_command_length, &line)) {
          case LineScan::kNeedMore:
            return ParseResult::need_more();
          case LineScan::kFrameTooLarge:
            return too_large();
          case LineScan::kLineTooLong:
            return fail(Code::kTooLarge, "STOMP frame: command line " +
                                             long_line_snippet(limits_.max_command_length) +
                                             " over max-command-length (" +
                                             std::to_string(limits_.max_command_length) +
                                             " bytes)");
          case LineScan::kFound:
            break;
        }
        if (line.find('\r') != std::string_view::npos) {
          return fail(Code::kInvalid,
                      "STOMP frame: bad command line " + quote(line) + " (bare CR)");
        }
        if (std::find(known_.begin(), known_.end(), line) == known_.end()) {
          return fail(Code::kInvalid, "STOMP frame: unknown command " + quote(line));
        }
        frame_.command.assign(line);
        escaped_ = headers_escaped(line);
        line_start_ = scan_;
        state_ = State::kHeaders;
        break;
      }

      case State::kHeaders: {
        std::string_view line;
        switch (scan_line(limits_.max_header_line, &line)) {
          case LineScan::kNeedMore:
            return ParseResult::need_more();
          case LineScan::kFrameTooLarge:
            return too_large();
          case LineScan::kLineTooLong:
            return fail(Code::kTooLarge, frame_name() + ": header line " +
                                             long_line_snippet(limits_.max_header_line) +
                                             " over max-header-line (" +
                                             std::to_string(limits_.max_header_line) + " bytes)");
          case LineScan::kFound:
            break;
        }
        line_start_ = scan_;
        if (line.empty()) {
          ParseResult r = start_body();
          if (r.is_error()) return r;
          break;
        }
        if (frame_.headers.size() >= limits_.max_headers) {
          return fail(Code::kTooLarge, frame_name() + ": over max-headers (" +
                                           std::to_string(limits_.max_headers) + " header lines)");
        }
        std::string reason;
        const size_t colon = line.find(':');
        if (line.find('\r') != std::string_view::npos) {
          reason = "bare CR";
        } else if (colon == std::string_view::npos) {
          reason = "no ':'";
        } else if (colon == 0) {
          reason = "empty name";
        } else {
          const std::string_view name = line.substr(0, colon);
          const std::string_view value = line.substr(colon + 1);
          auto& header = frame_.headers.emplace_back();
          if (!escaped_) {
            header.first.assign(name);
            header.second.assign(value);
          } else if (!unescape_into(name, &header.first, &reason, " of the name") ||
                     !unescape_into(value, &header.second, &reason, " of the value")) {
            frame_.headers.pop_back();
          }
        }
        if (!reason.empty()) {
          return fail(Code::kInvalid,
                      frame_name() + ": bad header line " + quote(line) + " (" + reason + ")");
        }
        break;
      }

      case State::kBody: {
        if (content_length_) {
          const size_t nul = body_start_ + *content_length_;
          if (buf_.size() <= nul) return ParseResult::need_more();
          if (buf_[nul] != '\0') {
            const std::string n = std::to_string(*content_length_);
            return fail(Code::kInvalid, frame_name() + ": no NUL after the " + n +
                                            "-byte body (content-length " + n + "); found " +
                                            quote(std::string_view(buf_).substr(nul, 1)));
          }
          return finish_frame(nul);
        }
        const size_t frame_cap = add_saturating(frame_start_, limits_.max_frame_size);
        const size_t stop = std::min(buf_.size(), frame_cap);
        if (scan_ < stop) {
          scanned_ += stop - scan_;
          const void* hit = std::memchr(buf_.data() + scan_, '\0', stop - scan_);
          if (hit != nullptr) {
            return finish_frame(static_cast<size_t>(static_cast<const char*>(hit) - buf_.data()));
          }
          scan_ = stop;
        }
        if (buf_.size() >= frame_cap) return too_large();
        return ParseResult::need_more();
      }
    }
  }
}

// Called on the blank line: the headers are complete, so content-length
// (its first occurrence) decides how the body ends.
ParseResult FrameParser::start_body() {
  body_start_ = scan_;
  content_length_.reset();
  if (auto text = frame_.header("content-length")) {
    size_t n = 0;
    if (!parse_length(*text, &n)) {
      return fail(Code::kInvalid, frame_name() + ": bad content-length " + quote(*text) +
                                      " (not a decimal number)");
    }
    // Headers, body and NUL must all fit; the headers already do, so
    // header_bytes <= max_frame_size and nothing below can wrap.
    const size_t header_bytes = body_start_ - frame_start_;
    if (n > limits_.max_frame_size || header_bytes + 1 > limits_.max_frame_size - n) {
      return fail(Code::kTooLarge, frame_name() + ": content-length " + quote(*text) +
                                       " over max-frame-size (" +
                                       std::to_string(limits_.max_frame_size) + " bytes)");
    }
    content_length_ = n;
  }
  state_ = State::kBody;
  return ParseResult::need_more();
}

ParseResult FrameParser::finish_frame(size_t nul) {
  frame_.body.assign(buf_, body_start_, nul - body_start_);
  pos_ = nul + 1;
  state_ = State::kBetweenFrames;
  content_length_.reset();
  Frame done = std::move(frame_);
  frame_ = Frame();
  return ParseResult::with_frame(std::move(done));
}

void serialize_to(const Frame& frame, std::string* out, bool escape_headers) {
  assert(out != nullptr && "serialize_to: pass a string to append to");
  assert(!frame.command.empty() &&
         frame.command.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos &&
         "serialize_to: the command must be non-empty and hold no CR, LF or NUL");
  const bool escape = escape_headers && headers_escaped(frame.command);

  size_t size = frame.command.size() + frame.body.size() + 32;
  for (const auto& [name, value] : frame.headers)
    size += name.size() + value.size() + 2;
  out->reserve(out->size() + size);

  out->append(frame.command);
  out->push_back('\n');
  bool has_length = false;
  for (const auto& [name, value] : frame.headers) {
    assert(!name.empty() && "serialize_to: a header name must be non-empty");
    if (!has_length && name == "content-length") {
      has_length = true;
      [[maybe_unused]] size_t n = 0;
      assert(parse_length(value, &n) && n == frame.body.size() &&
             "serialize_to: a content-length header set by the caller must equal the body size");
    }
    if (escape) {
      append_escaped(name, out);
      out->push_back(':');
      append_escaped(value, out);
    } else {
      assert(name.find_first_of("\r\n:") == std::string::npos &&
             value.find_first_of("\r\n") == std::string::npos &&
             "serialize_to: an unescaped header may hold no CR or LF, nor ':' in its name");
      out->append(name);
      out->push_back(':');
      out->append(value);
    }
    out->push_back('\n');
  }
  if (!has_length && !frame.body.empty()) {
    char digits[24];
    const auto res = std::to_chars(digits, digits + sizeof digits, frame.body.size());
    out->append("content-length:");
    out->append(digits, res.ptr);
    out->push_back('\n');
  }
  out->push_back('\n');
  out->append(frame.body);
  out->push_back('\0');
}

std::string serialize(const Frame& frame, bool escape_headers) {
  std::string out;
  serialize_to(frame, &out, escape_headers);
  return out;
}

}  // namespace wmq::stomp

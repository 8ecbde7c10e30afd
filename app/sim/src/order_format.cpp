#include "sim/order_format.h"

#include <charconv>
#include <optional>

#include "sim/strings.h"

namespace wmq::sim {

namespace {

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static const char* hex = "0123456789abcdef";
      out += "\\u00";
      out += hex[(c >> 4) & 0xf];
      out += hex[c & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
}

void append_uint(std::string& out, uint64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out.append(buf, end);
}

// What the validator needs of an order: the top-level fields it checks, each
// as the JSON value it was (for the error sentence).
struct OrderFields {
  enum class Type : uint8_t { kAbsent, kInt, kString, kOther };
  struct Field {
    Type type = Type::kAbsent;
    int64_t i = 0;
    std::string s;  // kString: the value; kOther: its JSON text or kind
  };
  Field order, dish, qty, table;
};

// A strict reader of one JSON object, keeping the four fields above. It runs
// on every publish, so it is written out here rather than built on a general
// parser: no document, no allocation for a well-formed order, no locale
// lookup. It accepts exactly RFC 8259 JSON (nested values are checked and
// skipped); anything else makes parse() false.
class FlatJson {
 public:
  explicit FlatJson(std::string_view text) : s_(text) {}

  bool parse(OrderFields& f) {
    ws();
    if (!eat('{')) return false;
    ws();
    if (!eat('}')) {
      for (;;) {
        ws();
        key_.clear();
        if (peek() != '"' || !string(&key_)) return false;
        ws();
        if (!eat(':')) return false;
        ws();
        if (!value(field(f, key_), 1)) return false;
        ws();
        if (eat(',')) continue;
        if (eat('}')) break;
        return false;
      }
    }
    ws();
    return i_ == s_.size();
  }

 private:
  static constexpr int kMaxDepth = 64;

  static OrderFields::Field* field(OrderFields& f, const std::string& k) {
    if (k == "order") return &f.order;
    if (k == "dish") return &f.dish;
    if (k == "qty") return &f.qty;
    if (k == "table") return &f.table;
    return nullptr;
  }

  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  bool eat(char c) {
    if (peek() != c || i_ >= s_.size()) return false;
    ++i_;
    return true;
  }
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }

  static void set(OrderFields::Field* f, OrderFields::Type t, std::string_view text) {
    if (f == nullptr) return;
    f->type = t;
    f->s.assign(text);
  }

  bool value(OrderFields::Field* f, int depth) {
    if (depth > kMaxDepth) return false;
    const char c = peek();
    if (c == '"') {
      if (f == nullptr) return string(nullptr);
      f->s.clear();
      if (!string(&f->s)) return false;
      f->type = OrderFields::Type::kString;
      return true;
    }
    if (c == '{') {
      set(f, OrderFields::Type::kOther, "an object");
      return nested('}', depth);
    }
    if (c == '[') {
      set(f, OrderFields::Type::kOther, "a list");
      return nested(']', depth);
    }
    for (std::string_view lit :
         {std::string_view("true"), std::string_view("false"), std::string_view("null")}) {
      if (s_.substr(i_, lit.size()) == lit) {
        i_ += lit.size();
        set(f, OrderFields::Type::kOther, lit);
        return true;
      }
    }
    return number(f);
  }

  bool nested(char close, int depth) {
    ++i_;  // the opening bracket
    ws();
    if (eat(close)) return true;
    for (;;) {
      ws();
      if (close == '}') {
        if (peek() != '"' || !string(nullptr)) return false;
        ws();
        if (!eat(':')) return false;
        ws();
      }
      if (!value(nullptr, depth + 1)) return false;
      ws();
      if (eat(',')) continue;
      return eat(close);
    }
  }

  static bool digit(char c) { return c >= '0' && c <= '9'; }

  bool number(OrderFields::Field* f) {
    const size_t start = i_;
    eat('-');
    if (eat('0')) {
    } else if (digit(peek())) {
      while (digit(peek()))
        ++i_;
    } else {
      return false;
    }
    bool integral = true;
    if (eat('.')) {
      integral = false;
      if (!digit(peek())) return false;
      while (digit(peek()))
        ++i_;
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      ++i_;
      if (peek() == '+' || peek() == '-') ++i_;
      if (!digit(peek())) return false;
      while (digit(peek()))
        ++i_;
    }
    if (f == nullptr) return true;
    const std::string_view text = s_.substr(start, i_ - start);
    int64_t v = 0;
    if (integral) {
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      integral = ec == std::errc() && ptr == text.data() + text.size();
    }
    if (integral) {
      f->type = OrderFields::Type::kInt;
      f->i = v;
    } else {
      set(f, OrderFields::Type::kOther, text);
    }
    return true;
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool hex4(uint32_t& out) {
    if (i_ + 4 > s_.size()) return false;
    out = 0;
    for (int k = 0; k < 4; ++k) {
      const int h = hex(s_[i_++]);
      if (h < 0) return false;
      out = out * 16 + static_cast<uint32_t>(h);
    }
    return true;
  }

  static void utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // At '"': reads a string, decoded into `out` when it is not null.
  bool string(std::string* out) {
    ++i_;
    for (;;) {
      if (i_ >= s_.size()) return false;
      const char c = s_[i_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        if (out != nullptr) *out += c;
        continue;
      }
      if (i_ >= s_.size()) return false;
      const char e = s_[i_++];
      char plain = 0;
      switch (e) {
        case '"':
          plain = '"';
          break;
        case '\\':
          plain = '\\';
          break;
        case '/':
          plain = '/';
          break;
        case 'b':
          plain = '\b';
          break;
        case 'f':
          plain = '\f';
          break;
        case 'n':
          plain = '\n';
          break;
        case 'r':
          plain = '\r';
          break;
        case 't':
          plain = '\t';
          break;
        case 'u': {
          uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t lo = 0;
            if (!eat('\\') || !eat('u') || !hex4(lo) || lo < 0xDC00 || lo > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return false;
          }
          if (out != nullptr) utf8(*out, cp);
          continue;
        }
        default:
          return false;
      }
      if (out != nullptr) *out += plain;
    }
  }

  std::string_view s_;
  size_t i_ = 0;
  std::string key_;
};

std::string shown(const OrderFields::Field& f) {
  switch (f.type) {
    case OrderFields::Type::kInt:
      return std::to_string(f.i);
    case OrderFields::Type::kString: {
      std::string out;
      append_json_string(out, f.s);
      return out;
    }
    default:
      return f.s;
  }
}

Status invalid(const std::string& who, const std::string& what) {
  return Status::error(Code::kInvalid, who + " rejected: " + what);
}

}  // namespace

std::string order_json(uint32_t order, std::string_view dish, uint32_t qty, uint32_t table) {
  std::string out;
  append_order_json(out, order, dish, qty, table);
  return out;
}

void append_order_json(std::string& out, uint32_t order, std::string_view dish, uint32_t qty,
                       uint32_t table) {
  out += "{\"order\":";
  append_uint(out, order);
  out += ",\"dish\":";
  append_json_string(out, dish);
  out += ",\"qty\":";
  append_uint(out, qty);
  out += ",\"table\":";
  append_uint(out, table);
  out += '}';
}

std::string order_note(std::string_view dish, uint32_t qty, uint32_t table) {
  std::string out;
  append_uint(out, qty);
  out += "x ";
  out.append(dish);
  out += "; meja ";
  append_uint(out, table);
  return out;
}

Validator make_order_validator(std::shared_ptr<const Menu> menu) {
  return [menu = std::move(menu)](const Message& m) -> Status {
    OrderFields f;
    if (!FlatJson(m.body).parse(f)) return invalid("order", "the body is not a JSON object");
    std::string who = "order";
    if (f.order.type == OrderFields::Type::kAbsent) return invalid(who, "\"order\" is missing");
    if (f.order.type != OrderFields::Type::kInt) {
      return invalid(who, "\"order\" must be an integer, got " + shown(f.order));
    }
    who = "order " + std::to_string(f.order.i);
    if (f.dish.type == OrderFields::Type::kAbsent) return invalid(who, "\"dish\" is missing");
    if (f.dish.type != OrderFields::Type::kString) {
      return invalid(who, "\"dish\" must be a dish name in quotes, got " + shown(f.dish));
    }
    const Dish* dish = menu->find(f.dish.s);
    if (dish == nullptr) {
      return invalid(who, "\"dish\" must be a dish on the menu, got " + shown(f.dish));
    }
    if (dish->station != m.routing_key) {
      return invalid(who, "\"" + dish->name + "\" is cooked at \"" + dish->station +
                              "\", not at \"" + m.routing_key + "\"");
    }
    if (f.qty.type == OrderFields::Type::kAbsent) return invalid(who, "\"qty\" is missing");
    if (f.qty.type != OrderFields::Type::kInt || f.qty.i < 1 || f.qty.i > 20) {
      return invalid(who, "\"qty\" must be 1..20, got " + shown(f.qty));
    }
    if (f.table.type == OrderFields::Type::kAbsent) return invalid(who, "\"table\" is missing");
    if (f.table.type != OrderFields::Type::kInt || f.table.i < 1) {
      return invalid(who, "\"table\" must be an integer >= 1, got " + shown(f.table));
    }
    return Status::ok();
  };
}

namespace {

bool parse_uint(std::string_view s, uint32_t& out) {
  if (s.empty() || s.size() > 6) return false;
  uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint32_t>(c - '0');
  }
  out = v;
  return true;
}

// A note's parts are read without their spaces, and only spaces: that is the
// note format (order_format.h), and trimming more would translate other notes.
std::string_view trim_spaces(std::string_view s) {
  return trim(s, " ");
}

// "2x nasi goreng; meja 4" -> qty 2, dish "nasi goreng", table 4.
bool read_note(std::string_view note, uint32_t& qty, std::string_view& dish, uint32_t& table) {
  const size_t semi = note.find(';');
  if (semi == std::string_view::npos) return false;
  std::string_view left = trim_spaces(note.substr(0, semi));
  std::string_view right = trim_spaces(note.substr(semi + 1));
  const size_t x = left.find('x');
  if (x == std::string_view::npos || !parse_uint(left.substr(0, x), qty)) return false;
  dish = trim_spaces(left.substr(x + 1));
  if (dish.empty()) return false;
  std::string_view word = right.substr(0, right.find(' '));
  if (word != "meja" && word != "table") return false;
  return parse_uint(trim_spaces(right.substr(word.size())), table);
}

}  // namespace

Translator make_note_translator() {
  Translator t;
  t.from = kOrderNote;
  t.to = kOrderJson;
  t.fn = [](const Message& m) -> Result<std::string> {
    uint32_t order = 0;
    const std::optional<std::string_view> h = m.header("order");
    const bool numbered = h && parse_uint(*h, order);
    const std::string who = numbered ? "order " + std::to_string(order) : "order";
    if (!numbered) {
      return Status::error(Code::kInvalid,
                           who + " rejected: the note has no order number (header \"order\")");
    }
    uint32_t qty = 0, table = 0;
    std::string_view dish;
    if (!read_note(m.body, qty, dish, table)) {
      std::string quoted;
      append_json_string(quoted, m.body);
      return Status::error(Code::kInvalid, who + " rejected: cannot read the note " + quoted +
                                               "; write it like \"2x nasi goreng; meja 4\"");
    }
    return order_json(order, dish, qty, table);
  };
  return t;
}

}  // namespace wmq::sim

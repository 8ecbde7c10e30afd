#include "sim/order_format.h"

#include <charconv>
#include <optional>

#include <nlohmann/json.hpp>

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

// What the validator needs of an order, read by SAX: the top-level fields
// only, each as the JSON value it was (for the error sentence).
struct OrderFields {
  enum class Type : uint8_t { kAbsent, kInt, kString, kOther };
  struct Field {
    Type type = Type::kAbsent;
    int64_t i = 0;
    std::string s;  // kString: the value; kOther: its JSON text
  };
  Field order, dish, qty, table;
};

class OrderSax : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit OrderSax(OrderFields& f) : f_(f) {}

  bool null() override { return scalar(OrderFields::Type::kOther, 0, "null"); }
  bool boolean(bool v) override {
    return scalar(OrderFields::Type::kOther, 0, v ? "true" : "false");
  }
  bool number_integer(number_integer_t v) override {
    return scalar(OrderFields::Type::kInt, v, {});
  }
  bool number_unsigned(number_unsigned_t v) override {
    if (v > static_cast<number_unsigned_t>(INT64_MAX))
      return scalar(OrderFields::Type::kOther, 0, std::to_string(v));
    return scalar(OrderFields::Type::kInt, static_cast<int64_t>(v), {});
  }
  bool number_float(number_float_t, const string_t& s) override {
    return scalar(OrderFields::Type::kOther, 0, s);
  }
  bool string(string_t& v) override {
    if (depth_ == 1 && field_ != nullptr) {
      field_->type = OrderFields::Type::kString;
      field_->s = v;
    }
    field_ = nullptr;
    return true;
  }
  bool binary(binary_t&) override { return scalar(OrderFields::Type::kOther, 0, "binary"); }
  bool start_object(std::size_t) override {
    if (depth_ == 0) top_is_object_ = true;
    nested(depth_ >= 1 ? "an object" : nullptr);
    ++depth_;
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    nested("a list");
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool key(string_t& k) override {
    if (depth_ != 1) return true;
    if (k == "order") {
      field_ = &f_.order;
    } else if (k == "dish") {
      field_ = &f_.dish;
    } else if (k == "qty") {
      field_ = &f_.qty;
    } else if (k == "table") {
      field_ = &f_.table;
    } else {
      field_ = nullptr;
    }
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    failed_ = true;
    return false;
  }

  bool ok() const { return !failed_ && top_is_object_; }

 private:
  bool scalar(OrderFields::Type t, int64_t i, std::string_view text) {
    if (depth_ == 1 && field_ != nullptr) {
      field_->type = t;
      field_->i = i;
      field_->s = std::string(text);
    }
    field_ = nullptr;
    return true;
  }
  void nested(const char* what) {
    if (depth_ == 1 && field_ != nullptr && what != nullptr) {
      field_->type = OrderFields::Type::kOther;
      field_->s = what;
    }
    field_ = nullptr;
  }

  OrderFields& f_;
  OrderFields::Field* field_ = nullptr;
  int depth_ = 0;
  bool top_is_object_ = false;
  bool failed_ = false;
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
  out.reserve(64 + dish.size());
  out += "{\"order\":";
  append_uint(out, order);
  out += ",\"dish\":";
  append_json_string(out, dish);
  out += ",\"qty\":";
  append_uint(out, qty);
  out += ",\"table\":";
  append_uint(out, table);
  out += '}';
  return out;
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
    OrderSax sax(f);
    (void)nlohmann::json::sax_parse(m.body, &sax, nlohmann::json::input_format_t::json, false);
    if (!sax.ok()) return invalid("order", "the body is not a JSON object");
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

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  return s;
}

// "2x nasi goreng; meja 4" -> qty 2, dish "nasi goreng", table 4.
bool read_note(std::string_view note, uint32_t& qty, std::string_view& dish, uint32_t& table) {
  const size_t semi = note.find(';');
  if (semi == std::string_view::npos) return false;
  std::string_view left = trim(note.substr(0, semi));
  std::string_view right = trim(note.substr(semi + 1));
  const size_t x = left.find('x');
  if (x == std::string_view::npos || !parse_uint(left.substr(0, x), qty)) return false;
  dish = trim(left.substr(x + 1));
  if (dish.empty()) return false;
  std::string_view word = right.substr(0, right.find(' '));
  if (word != "meja" && word != "table") return false;
  return parse_uint(trim(right.substr(word.size())), table);
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

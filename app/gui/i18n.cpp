#include "gui/i18n.h"

#include <toml.hpp>

#include <cassert>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/scenario.h"

namespace wmq::gui {
namespace {

using TomlValue = toml::basic_value<toml::discard_comments>;

// Walks nested tables depth first; the first non-string value stops the walk with its key.
wmq::Status flatten(const TomlValue& table, const std::string& prefix, const std::string& source,
                    Catalog& out) {
  for (const auto& [name, value] : table.as_table()) {
    std::string key = prefix.empty() ? name : prefix + "." + name;
    if (value.is_table()) {
      wmq::Status st = flatten(value, key, source, out);
      if (!st) return st;
    } else if (value.is_string()) {
      out.emplace(std::move(key), value.as_string().str);
    } else {
      std::string type = toml::stringize(value.type());
      const char* article =
          std::string_view("aeiou").find(type[0]) != std::string_view::npos ? "an " : "a ";
      return wmq::Status::error(wmq::Code::kInvalid, source + ": key \"" + key + "\" is " +
                                                         article + type + ", not a string");
    }
  }
  return wmq::Status::ok();
}

bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// The "{name}" placeholders of a string, as a sorted set, so translations can be compared.
std::set<std::string> placeholders(std::string_view text) {
  std::set<std::string> names;
  size_t pos = 0;
  while ((pos = text.find('{', pos)) != std::string_view::npos) {
    size_t end = text.find('}', pos + 1);
    if (end == std::string_view::npos) break;
    names.emplace(text.substr(pos, end - pos + 1));
    pos = end + 1;
  }
  return names;
}

std::string join(const std::set<std::string>& names) {
  if (names.empty()) return "none";
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ' ';
    out += n;
  }
  return out;
}

}  // namespace

wmq::Result<Catalog> parse_catalog(std::string_view text, const std::string& source_name) {
  std::istringstream in{std::string(text)};
  TomlValue root;
  // toml11 reports syntax errors by throwing; they stop at this boundary as a Status.
  try {
    root = toml::parse<toml::discard_comments>(in, source_name);
  } catch (const std::exception& e) {
    return wmq::Status::error(wmq::Code::kInvalid, e.what());
  }
  Catalog catalog;
  wmq::Status st = flatten(root, "", source_name, catalog);
  if (!st) return st;
  return catalog;
}

wmq::Result<Catalog> load_catalog(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return wmq::Status::error(wmq::Code::kIoError,
                              "language file \"" + file.string() + "\": cannot be read");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_catalog(text.str(), file.filename().string());
}

std::vector<std::string> compare_catalogs(const Catalog& a, std::string_view a_name,
                                          const Catalog& b, std::string_view b_name) {
  std::set<std::string, std::less<>> keys;
  for (const auto& kv : a)
    keys.insert(kv.first);
  for (const auto& kv : b)
    keys.insert(kv.first);

  std::vector<std::string> problems;
  auto quoted = [](const std::string& key) { return "key \"" + key + "\""; };
  for (const std::string& key : keys) {
    auto ia = a.find(key);
    auto ib = b.find(key);
    if (ia == a.end() || ib == b.end()) {
      std::string_view has = ia == a.end() ? b_name : a_name;
      std::string_view lacks = ia == a.end() ? a_name : b_name;
      problems.push_back(quoted(key) + " is in " + std::string(has) + " but not in " +
                         std::string(lacks));
      continue;
    }
    if (is_blank(ia->second))
      problems.push_back(quoted(key) + " is empty in " + std::string(a_name));
    if (is_blank(ib->second))
      problems.push_back(quoted(key) + " is empty in " + std::string(b_name));
    std::set<std::string> pa = placeholders(ia->second);
    std::set<std::string> pb = placeholders(ib->second);
    if (pa != pb) {
      problems.push_back(quoted(key) + " has placeholders " + join(pa) + " in " +
                         std::string(a_name) + " but " + join(pb) + " in " + std::string(b_name));
    }
  }
  return problems;
}

std::string fill_placeholders(
    std::string_view text, std::initializer_list<std::pair<std::string_view, std::string>> args) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find('{', pos);
    size_t close = open == std::string_view::npos ? open : text.find('}', open + 1);
    if (close == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    out.append(text.substr(pos, open - pos));
    std::string_view name = text.substr(open + 1, close - open - 1);
    const std::string* value = nullptr;
    for (const auto& [n, v] : args) {
      if (n == name) value = &v;
    }
    if (value != nullptr) {
      out += *value;
    } else {
      out.append(text.substr(open, close - open + 1));
    }
    pos = close + 1;
  }
  return out;
}

wmq::Result<I18n> I18n::load(const std::filesystem::path& dir,
                             const std::vector<std::string>& codes, std::string_view initial) {
  std::vector<std::pair<std::string, Catalog>> catalogs;
  bool have_initial = false;
  for (const std::string& code : codes) {
    wmq::Result<Catalog> c = load_catalog(dir / (code + ".toml"));
    if (!c) return c.status();
    catalogs.emplace_back(code, std::move(c).value());
    have_initial = have_initial || code == initial;
  }
  if (!have_initial) {
    std::string have;
    for (const auto& c : codes)
      have += (have.empty() ? "" : ", ") + c;
    return wmq::Status::error(wmq::Code::kNotFound, "language \"" + std::string(initial) +
                                                        "\": not loaded (have " + have + ")");
  }
  return I18n(std::move(catalogs), initial);
}

const char* vocabulary_name(Vocabulary vocabulary) {
  return vocabulary == Vocabulary::kBroker ? "broker" : "restaurant";
}

I18n::I18n(std::vector<std::pair<std::string, Catalog>> catalogs, std::string_view initial)
    : catalogs_(std::move(catalogs)) {
  assert(!catalogs_.empty() && "I18n needs at least one catalog");
  for (const auto& [code, catalog] : catalogs_) {
    Catalog words;
    for (auto it = catalog.lower_bound(kBrokerVocabularyPrefix);
         it != catalog.end() && it->first.starts_with(kBrokerVocabularyPrefix); ++it) {
      words.emplace(it->first.substr(kBrokerVocabularyPrefix.size()), it->second);
    }
    broker_words_.push_back(std::move(words));
  }
  wmq::Status st = set_language(initial);
  assert(st.is_ok() && "I18n: the initial language must be one of the catalogs' codes");
  (void)st;
}

const Catalog* I18n::find_catalog(std::string_view code) const {
  for (const auto& [c, catalog] : catalogs_) {
    if (c == code) return &catalog;
  }
  return nullptr;
}

const char* I18n::tr(std::string_view key) const {
  if (vocabulary_ == Vocabulary::kBroker) {
    const Catalog& words = broker_words_[active_];
    if (auto it = words.find(key); it != words.end()) return it->second.c_str();
  }
  const Catalog& catalog = catalogs_[active_].second;
  if (auto it = catalog.find(key); it != catalog.end()) return it->second.c_str();
  auto [it, inserted] =
      missing_.try_emplace(std::string(key), "[missing: " + std::string(key) + "]");
  if (inserted) {
    std::fprintf(stderr, "warungmq gui: UI string \"%s\" is missing in %s.toml\n",
                 it->first.c_str(), current_.c_str());
  }
  return it->second.c_str();
}

const char* I18n::tr_short(std::string_view key) const {
  if (vocabulary_ == Vocabulary::kBroker && broker_words_[active_].contains(key)) return tr(key);
  const Catalog& catalog = catalogs_[active_].second;
  if (auto it = catalog.find("short." + std::string(key)); it != catalog.end()) {
    return it->second.c_str();
  }
  return tr(key);
}

wmq::Status I18n::set_language(std::string_view code) {
  for (size_t i = 0; i < catalogs_.size(); ++i) {
    if (catalogs_[i].first == code) {
      active_ = i;
      current_ = catalogs_[i].first;
      return wmq::Status::ok();
    }
  }
  std::string have;
  for (const auto& c : catalogs_)
    have += (have.empty() ? "" : ", ") + c.first;
  return wmq::Status::error(wmq::Code::kNotFound, "language \"" + std::string(code) +
                                                      "\": not loaded (have " + have + ")");
}

std::vector<std::string> I18n::languages() const {
  std::vector<std::string> codes;
  for (const auto& c : catalogs_)
    codes.push_back(c.first);
  return codes;
}

std::string I18n::language_name(std::string_view code) const {
  const Catalog* catalog = find_catalog(code);
  if (catalog == nullptr) return std::string(code);
  auto it = catalog->find("meta.language_name");
  return it == catalog->end() ? std::string(code) : it->second;
}

std::vector<std::string> I18n::missing_keys() const {
  std::vector<std::string> keys;
  for (const auto& kv : missing_)
    keys.push_back(kv.first);
  return keys;
}

const std::string& pick(const I18n& t, const sim::Text& text) {
  if (t.language() == "id") return text.id.empty() ? text.en : text.id;
  return text.en.empty() ? text.id : text.en;
}

}  // namespace wmq::gui

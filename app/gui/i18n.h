// I18n: the GUI's strings in every language, looked up by key.
//
// Strings live in assets/i18n/<code>.toml, one file per language, each with
// exactly the same keys (a unit test holds them to it). Nested TOML tables
// become dotted keys: `[menu] file = "File"` is the key "menu.file".
// Placeholders are written `{name}` and filled with `fill_placeholders`.
//
// Vocabulary: the same screen in restaurant words (cashier, cook, order board)
// or broker words (producer, consumer, queue). Each file holds the broker
// words as overrides under [vocab.broker]: with the broker vocabulary on,
// tr("scene.cook") returns "vocab.broker.scene.cook" when the file has it, and
// "scene.cook" otherwise. Both files carry the same overrides (the key check
// covers them), so the switch works in every language.
//
// A key the code asks for but the file lacks is a programmer error that must
// stay visible on screen: `tr` returns "[missing: key]" and counts the key, so a
// test (or the --state-out report) can catch it. There is no fallback to
// English on purpose; a fallback would hide the gap.
//
// Thread-safety: none; the GUI thread owns it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/status.h"

namespace wmq::sim {
struct Text;
}

namespace wmq::gui {

// One language's strings, flattened: "menu.file" -> "File".
using Catalog = std::map<std::string, std::string, std::less<>>;

// Parses the text of one language file. `source_name` (e.g. "id.toml") names it in errors.
// Errors (kInvalid): a TOML syntax error (toml11's message, with the line), or a value that is
// not a string, e.g. `id.toml: key "menu.file" is an integer, not a string`.
wmq::Result<Catalog> parse_catalog(std::string_view text, const std::string& source_name);

// Reads and parses one language file. kIoError when the file cannot be read (the message names
// the path); otherwise as parse_catalog.
wmq::Result<Catalog> load_catalog(const std::filesystem::path& file);

// What keeps two language files from shipping together, one sentence per problem, ordered by
// key: a key present in only one file, an empty (or blank) value, or placeholders that differ.
// An empty result means they match. The names are used in the sentences.
std::vector<std::string> compare_catalogs(const Catalog& a, std::string_view a_name,
                                          const Catalog& b, std::string_view b_name);

// Returns `text` with each "{name}" replaced by its value; unknown placeholders stay as written.
std::string fill_placeholders(std::string_view text,
                              std::initializer_list<std::pair<std::string_view, std::string>> args);

enum class Vocabulary : uint8_t { kRestaurant, kBroker };

// "restaurant", "broker".
const char* vocabulary_name(Vocabulary vocabulary);

// The prefix of the broker vocabulary's overrides.
inline constexpr std::string_view kBrokerVocabularyPrefix = "vocab.broker.";

// The loaded languages and the one in use.
class I18n {
 public:
  // Loads <dir>/<code>.toml for each code and selects `initial`. Errors: as load_catalog for
  // the first file that fails; kNotFound when `initial` is not among `codes`.
  static wmq::Result<I18n> load(const std::filesystem::path& dir,
                                const std::vector<std::string>& codes, std::string_view initial);

  // Builds from catalogs already in memory (tests, tools). `initial` must be one of the codes.
  I18n(std::vector<std::pair<std::string, Catalog>> catalogs, std::string_view initial);

  // The string for `key` in the current language; never null. The pointer stays valid as long
  // as this I18n lives, even across language switches. A missing key returns
  // "[missing: key]", is counted once, and is reported once on stderr.
  const char* tr(std::string_view key) const;

  // The short form of `key`'s string where the language has one ("short." + key: the legend's
  // "Gagal" for "Gagal (dead-letter)"), for labels that must fit the projector's larger type;
  // otherwise, and under the broker vocabulary's own words, tr(key).
  const char* tr_short(std::string_view key) const;

  // Chooses the words: restaurant (the default) or broker.
  void set_vocabulary(Vocabulary vocabulary) { vocabulary_ = vocabulary; }
  Vocabulary vocabulary() const { return vocabulary_; }

  // Switches the language. kNotFound (current language unchanged) for a code not loaded,
  // e.g. `language "fr": not loaded (have en, id)`.
  wmq::Status set_language(std::string_view code);

  // The code of the language in use ("en", "id").
  const std::string& language() const { return current_; }
  // The loaded codes, in load order.
  std::vector<std::string> languages() const;
  // A language's own name ("Bahasa Indonesia"), from its key "meta.language_name"; the code
  // itself when that key is absent.
  std::string language_name(std::string_view code) const;

  // How many distinct keys were asked for and not found, and which.
  size_t missing_count() const { return missing_.size(); }
  std::vector<std::string> missing_keys() const;

 private:
  const Catalog* find_catalog(std::string_view code) const;

  std::vector<std::pair<std::string, Catalog>> catalogs_;  // in load order; never empty
  // Per catalog, its [vocab.broker] overrides with the prefix taken off: "scene.cook" ->
  // "Consumer".
  std::vector<Catalog> broker_words_;
  Vocabulary vocabulary_ = Vocabulary::kRestaurant;
  std::string current_;  // always one of catalogs_' codes
  size_t active_ = 0;    // index of current_ in catalogs_
  // Missing key -> its marker text. A std::map so marker pointers handed out stay valid.
  mutable std::map<std::string, std::string, std::less<>> missing_;
};

// A scenario's sentence (title, narration, question) in the language in use.
// A scenario may leave one language out: the other is better than nothing.
const std::string& pick(const I18n& t, const sim::Text& text);

}  // namespace wmq::gui

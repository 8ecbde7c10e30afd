#include <doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "gui/i18n.h"

using namespace wmq;
using namespace wmq::gui;

namespace {

const std::filesystem::path kI18nDir = std::filesystem::path(WMQ_ASSETS_DIR) / "i18n";

I18n two_languages() {
  Catalog en{{"meta.language_name", "English"}, {"menu.file", "File"}};
  Catalog id{{"meta.language_name", "Bahasa Indonesia"}, {"menu.file", "Berkas"}};
  return I18n({{"en", en}, {"id", id}}, "en");
}

}  // namespace

TEST_CASE("en.toml and id.toml have exactly the same keys and no empty values") {
  Result<Catalog> en = load_catalog(kI18nDir / "en.toml");
  Result<Catalog> id = load_catalog(kI18nDir / "id.toml");
  REQUIRE_MESSAGE(en.is_ok(), en.status().message());
  REQUIRE_MESSAGE(id.is_ok(), id.status().message());
  std::vector<std::string> problems = compare_catalogs(*en, "en.toml", *id, "id.toml");
  for (const std::string& p : problems)
    FAIL_CHECK(p);
  CHECK(problems.empty());
  // Guard against both files being emptied together.
  CHECK(en->size() > 100);
}

TEST_CASE("parse_catalog flattens nested tables into dotted keys") {
  Result<Catalog> c = parse_catalog(R"(
# a comment
[menu]
file = "File"
[about.map]
cook = "Cook"
)",
                                    "en.toml");
  REQUIRE_MESSAGE(c.is_ok(), c.status().message());
  CHECK(*c == Catalog{{"about.map.cook", "Cook"}, {"menu.file", "File"}});
}

TEST_CASE("parse_catalog rejects a value that is not a string, naming the key") {
  Result<Catalog> c = parse_catalog("[menu]\nfile = 3\n", "id.toml");
  REQUIRE_FALSE(c.is_ok());
  CHECK(c.status().code() == Code::kInvalid);
  CHECK(c.status().message() == "id.toml: key \"menu.file\" is an integer, not a string");

  Result<Catalog> b = parse_catalog("[menu]\nfile = true\n", "id.toml");
  REQUIRE_FALSE(b.is_ok());
  CHECK(b.status().message() == "id.toml: key \"menu.file\" is a boolean, not a string");
}

TEST_CASE("parse_catalog reports a TOML syntax error with the file name and line") {
  Result<Catalog> c = parse_catalog("[menu]\nfile = \"File\nview = 1\n", "en.toml");
  REQUIRE_FALSE(c.is_ok());
  CHECK(c.status().code() == Code::kInvalid);
  CHECK(c.status().message().find("en.toml") != std::string::npos);
  CHECK(c.status().message().find(" 2 ") != std::string::npos);  // toml11 shows " 2 | file = ..."
}

TEST_CASE("load_catalog names the file it cannot read") {
  Result<Catalog> c = load_catalog("/nonexistent/fr.toml");
  REQUIRE_FALSE(c.is_ok());
  CHECK(c.status().code() == Code::kIoError);
  CHECK(c.status().message() == "language file \"/nonexistent/fr.toml\": cannot be read");
}

TEST_CASE("compare_catalogs names a key present in only one file") {
  Catalog en{{"menu.file", "File"}, {"menu.quit", "Quit"}};
  Catalog id{{"menu.file", "Berkas"}, {"menu.view", "Tampilan"}};
  CHECK(compare_catalogs(en, "en.toml", id, "id.toml") ==
        std::vector<std::string>{"key \"menu.quit\" is in en.toml but not in id.toml",
                                 "key \"menu.view\" is in id.toml but not in en.toml"});
}

TEST_CASE("compare_catalogs names an empty or blank value") {
  Catalog en{{"menu.file", "File"}, {"menu.quit", "  \n"}, {"menu.view", "View"}};
  Catalog id{{"menu.file", ""}, {"menu.quit", "Keluar"}, {"menu.view", " \t"}};
  CHECK(compare_catalogs(en, "en.toml", id, "id.toml") ==
        std::vector<std::string>{"key \"menu.file\" is empty in id.toml",
                                 "key \"menu.quit\" is empty in en.toml",
                                 "key \"menu.view\" is empty in id.toml"});
}

TEST_CASE("compare_catalogs names placeholders that differ between languages") {
  Catalog en{{"toast.saved", "Saved to {path}"}};
  Catalog id{{"toast.saved", "Disimpan di {jalur}"}};
  CHECK(compare_catalogs(en, "en.toml", id, "id.toml") ==
        std::vector<std::string>{
            "key \"toast.saved\" has placeholders {path} in en.toml but {jalur} in id.toml"});
  CHECK(compare_catalogs(en, "en.toml", en, "en.toml").empty());
}

TEST_CASE("tr returns the string of the current language") {
  I18n t = two_languages();
  CHECK(std::string(t.tr("menu.file")) == "File");
  REQUIRE(t.set_language("id").is_ok());
  CHECK(t.language() == "id");
  CHECK(std::string(t.tr("menu.file")) == "Berkas");
  CHECK(t.missing_count() == 0);
}

TEST_CASE("a missing key draws a visible marker and is counted once") {
  I18n t = two_languages();
  CHECK(std::string(t.tr("scene.title")) == "[missing: scene.title]");
  CHECK(std::string(t.tr("scene.title")) == "[missing: scene.title]");
  CHECK(std::string(t.tr("log.title")) == "[missing: log.title]");
  CHECK(t.missing_count() == 2);
  CHECK(t.missing_keys() == std::vector<std::string>{"log.title", "scene.title"});
}

TEST_CASE("tr_short gives a language's short form where it has one, the full words otherwise") {
  Catalog en{{"scene.pickup", "Pickup counter"},
             {"scene.lost", "Lost"},
             {"short.scene.pickup", "Pickup"},
             {"vocab.broker.scene.pickup", "Reply queue"}};
  Catalog id{{"scene.pickup", "Meja pengambilan"},
             {"scene.lost", "Hilang"},
             {"short.scene.pickup", "Meja ambil"},
             {"vocab.broker.scene.pickup", "Antrean"}};
  I18n t({{"en", en}, {"id", id}}, "id");
  CHECK(std::string(t.tr_short("scene.pickup")) == "Meja ambil");
  CHECK(std::string(t.tr_short("scene.lost")) == "Hilang");  // no short form: the full one
  // The broker vocabulary's own word wins over the restaurant's short form.
  t.set_vocabulary(Vocabulary::kBroker);
  CHECK(std::string(t.tr_short("scene.pickup")) == "Antrean");
  CHECK(t.missing_count() == 0);
}

TEST_CASE("strings from tr stay valid after a language switch") {
  I18n t = two_languages();
  const char* file_en = t.tr("menu.file");
  const char* missing = t.tr("nope");
  REQUIRE(t.set_language("id").is_ok());
  CHECK(std::string(file_en) == "File");
  CHECK(std::string(missing) == "[missing: nope]");
}

TEST_CASE("set_language refuses a language not loaded and keeps the current one") {
  I18n t = two_languages();
  Status st = t.set_language("fr");
  CHECK(st.code() == Code::kNotFound);
  CHECK(st.message() == "language \"fr\": not loaded (have en, id)");
  CHECK(t.language() == "en");
}

TEST_CASE("I18n::load loads every language and selects the initial one") {
  Result<I18n> t = I18n::load(kI18nDir, {"en", "id"}, "id");
  REQUIRE_MESSAGE(t.is_ok(), t.status().message());
  CHECK(t->language() == "id");
  CHECK(t->languages() == std::vector<std::string>{"en", "id"});
  CHECK(std::string(t->tr("controls.pause")) == "Jeda");
}

TEST_CASE("I18n::load refuses an initial language that is not loaded") {
  Result<I18n> t = I18n::load(kI18nDir, {"en", "id"}, "jv");
  REQUIRE_FALSE(t.is_ok());
  CHECK(t.status().code() == Code::kNotFound);
  CHECK(t.status().message() == "language \"jv\": not loaded (have en, id)");
}

TEST_CASE("I18n::load fails on the first language file it cannot read") {
  Result<I18n> t = I18n::load(kI18nDir, {"en", "fr"}, "en");
  REQUIRE_FALSE(t.is_ok());
  CHECK(t.status().code() == Code::kIoError);
  CHECK(t.status().message() ==
        "language file \"" + (kI18nDir / "fr.toml").string() + "\": cannot be read");
}

TEST_CASE("language_name is the language's own name, or its code without one") {
  I18n t = two_languages();
  CHECK(t.language_name("id") == "Bahasa Indonesia");
  CHECK(t.language_name("en") == "English");
  I18n bare({{"xx", Catalog{{"menu.file", "F"}}}}, "xx");
  CHECK(bare.language_name("xx") == "xx");
}

TEST_CASE("fill_placeholders replaces known names and keeps unknown ones") {
  CHECK(fill_placeholders("Saved to {path} ({size})", {{"path", "/tmp/a.png"}}) ==
        "Saved to /tmp/a.png ({size})");
  CHECK(fill_placeholders("{a}{b}{a}", {{"a", "1"}, {"b", "2"}}) == "121");
  CHECK(fill_placeholders("no braces", {{"a", "1"}}) == "no braces");
  CHECK(fill_placeholders("open { only", {{"a", "1"}}) == "open { only");
}

TEST_CASE("the broker vocabulary replaces a key's words only where it has its own") {
  Catalog en{{"scene.cook", "Cook"},
             {"scene.board", "Order board"},
             {"vocab.broker.scene.cook", "Consumer"}};
  Catalog id{{"scene.cook", "Koki"},
             {"scene.board", "Papan pesanan"},
             {"vocab.broker.scene.cook", "Consumer"}};
  I18n t({{"en", en}, {"id", id}}, "en");
  CHECK(std::string(t.tr("scene.cook")) == "Cook");
  t.set_vocabulary(Vocabulary::kBroker);
  CHECK(std::string(t.tr("scene.cook")) == "Consumer");
  CHECK(std::string(t.tr("scene.board")) == "Order board");
  REQUIRE(t.set_language("id").is_ok());
  CHECK(std::string(t.tr("scene.board")) == "Papan pesanan");
  t.set_vocabulary(Vocabulary::kRestaurant);
  CHECK(std::string(t.tr("scene.cook")) == "Koki");
  CHECK(t.missing_count() == 0);
}

TEST_CASE("every broker word in the language files stands for a key with the same placeholders") {
  for (const char* file : {"en.toml", "id.toml"}) {
    CAPTURE(file);
    Result<Catalog> c = load_catalog(kI18nDir / file);
    REQUIRE(c.is_ok());
    size_t words = 0;
    for (const auto& [key, value] : *c) {
      if (!key.starts_with(kBrokerVocabularyPrefix)) continue;
      ++words;
      const std::string base = key.substr(kBrokerVocabularyPrefix.size());
      auto it = c->find(base);
      if (it == c->end()) {
        FAIL_CHECK(key << " replaces " << base << ", which does not exist");
        continue;
      }
      // compare_catalogs checks placeholders between two catalogs: use it on the pair.
      std::vector<std::string> problems = compare_catalogs(
          Catalog{{base, it->second}}, "restaurant", Catalog{{base, value}}, "broker");
      for (const std::string& p : problems)
        FAIL_CHECK(p);
    }
    CHECK(words >= 20);
  }
}

// Opening a link: each broken link's sentence in English and Bahasa Indonesia, as the reader
// sees it, and what --link does to the options and the workbench.
#include <doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "gui/i18n.h"
#include "gui/link_open.h"
#include "gui/model/state_json.h"

using namespace wmq;
using namespace wmq::gui;

namespace {

const std::filesystem::path kScenarios = WMQ_SCENARIOS_DIR;

I18n strings() {
  Result<I18n> i18n =
      I18n::load(std::filesystem::path(WMQ_ASSETS_DIR) / "i18n", {"en", "id"}, "en");
  REQUIRE_MESSAGE(i18n.is_ok(), i18n.status().message());
  return std::move(i18n).value();
}

// What the reader of `link` is told in `language` ("(opens)" when it opens).
std::string sentence(const std::string& link, const std::string& language) {
  I18n i18n = strings();
  REQUIRE(i18n.set_language(language).is_ok());
  GuiOptions options;
  options.link = link;
  Workbench bench;
  std::string said = open_link(options, kScenarios, i18n, bench);
  CHECK(i18n.missing_count() == 0);
  CHECK(bench.loaded() == said.empty());
  return said.empty() ? "(opens)" : said;
}

}  // namespace

TEST_CASE("every broken link says what is wrong in one sentence, in English and Indonesian") {
  struct Case {
    std::string link, en, id;
  };
  const std::vector<Case> cases = {
      {"https://example.org/slides",
       "This is not a link to a WarungMQ moment: \"https://example.org/slides\" should start with "
       "v1/.",
       "Ini bukan tautan ke momen WarungMQ: \"https://example.org/slides\" seharusnya diawali "
       "v1/."},
      {"v2/03-a-cook-faints?t=1m45s",
       "This link was made by a newer WarungMQ (link version 2; this one reads up to version 1), "
       "so update WarungMQ to open it.",
       "Tautan ini dibuat oleh WarungMQ yang lebih baru (tautan versi 2; versi ini hanya bisa "
       "membaca sampai versi 1), jadi perbarui WarungMQ untuk membukanya."},
      {"v1/99-space-station?t=1m",
       "This link names a lesson WarungMQ does not have: \"99-space-station\".",
       "Tautan ini menyebut pelajaran yang tidak dimiliki WarungMQ: \"99-space-station\"."},
      {"v1/Lesson%203", "This link names a lesson WarungMQ does not have: \"Lesson%203\".",
       "Tautan ini menyebut pelajaran yang tidak dimiliki WarungMQ: \"Lesson%203\"."},
      {"v1/03-a-cook-faints?zoom=2",
       "This link has a part WarungMQ does not understand: \"zoom=2\".",
       "Tautan ini berisi bagian yang tidak dipahami WarungMQ: \"zoom=2\"."},
      {"v1/03-a-cook-faints?seed=five", "The seed in this link, \"five\", is not a whole number.",
       "Seed di tautan ini, \"five\", bukan bilangan bulat."},
      {"v1/03-a-cook-faints?t=1m45",
       "The time in this link, \"1m45\", is not a time; it is written like 1m45s.",
       "Waktu di tautan ini, \"1m45\", bukan waktu; tulisannya seperti 1m45s."},
      {"v1/03-a-cook-faints?speed=1000",
       "The speed in this link, \"1000\", is not between 0.25 and 64.",
       "Kecepatan di tautan ini, \"1000\", tidak di antara 0.25 dan 64."},
      {"v1/03-a-cook-faints?lang=fr", "The language in this link, \"fr\", is not en or id.",
       "Bahasa di tautan ini, \"fr\", bukan en atau id."},
      {"v1/03-a-cook-faints?words=kitchen",
       "The words in this link, \"kitchen\", are not restaurant or broker.",
       "Istilah di tautan ini, \"kitchen\", bukan restaurant atau broker."},
      {"v1/03-a-cook-faints?clicks=1m:crash_cook:grill-1,1m30s:faint:grill-2",
       "Click 2 in this link, \"1m30s:faint:grill-2\", cannot be read.",
       "Klik ke-2 di tautan ini, \"1m30s:faint:grill-2\", tidak bisa dibaca."},
      {"v1/03-a-cook-faints?clicks=2m:crash_cook:grill-1,1m:crash_cook:grill-2",
       "Click 2 in this link, \"1m:crash_cook:grill-2\", is dated before the click ahead of it.",
       "Klik ke-2 di tautan ini, \"1m:crash_cook:grill-2\", bertanggal lebih awal daripada klik "
       "sebelumnya."},
      {"v1/03-a-cook-faints?t=3m&clicks=1m:crash_cook:grill-9",
       "Click 1 in this link (crash_cook grill-9) cannot be made in lesson 03-a-cook-faints.",
       "Klik ke-1 di tautan ini (crash_cook grill-9) tidak bisa dilakukan di pelajaran "
       "03-a-cook-faints."},
  };
  for (const Case& c : cases) {
    CHECK_MESSAGE(sentence(c.link, "en") == c.en, c.link);
    CHECK_MESSAGE(sentence(c.link, "id") == c.id, c.link);
  }
}

TEST_CASE("a good link fills the options with what it holds and lands the workbench") {
  I18n i18n = strings();
  GuiOptions options;
  options.link =
      "#v1/07-persistence?seed=9&t=4m30s&speed=2&lang=id&words=broker&projector"
      "&clicks=3m:crash_broker";
  options.seed = 1;   // the link's seed wins
  options.at = "9m";  // and its time
  Workbench bench;
  CHECK(open_link(options, kScenarios, i18n, bench).empty());
  REQUIRE(bench.loaded());
  CHECK_FALSE(options.link.has_value());
  CHECK(options.scenario == kScenarios / "07-persistence.toml");
  CHECK_FALSE(options.seed.has_value());
  CHECK(options.at.empty());
  CHECK_FALSE(options.paused);
  CHECK(options.speed == 2.0);
  CHECK(options.language == "id");
  CHECK(options.vocabulary == "broker");
  CHECK(options.projector);
  CHECK(i18n.language() == "id");
  CHECK(i18n.vocabulary() == Vocabulary::kBroker);
  CHECK(bench.seed() == 9);
  CHECK(bench.now() == 270 * kSeconds);
  REQUIRE(bench.recorded().size() == 1);
  CHECK(bench.recorded()[0].made_at == 180 * kSeconds);
  CHECK(state_json(bench)["injections"][0]["what"] == "crash_broker");
}

TEST_CASE("a broken link leaves the options as the reader gave them, but for the link") {
  I18n i18n = strings();
  REQUIRE(i18n.set_language("id").is_ok());
  GuiOptions options;
  options.link = "v1/03-a-cook-faints?lang=en&t=3m&clicks=1m:crash_cook:grill-9";
  options.projector = true;
  Workbench bench;
  CHECK_FALSE(open_link(options, kScenarios, i18n, bench).empty());
  CHECK_FALSE(bench.loaded());
  CHECK_FALSE(options.link.has_value());
  CHECK(options.scenario.empty());  // the sandbox
  CHECK(options.language == "en");  // as given: the default
  CHECK(options.projector);
  CHECK(i18n.language() == "id");  // the sentence's language stays
}

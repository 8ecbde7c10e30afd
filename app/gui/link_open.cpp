#include "gui/link_open.h"

#include <utility>

namespace wmq::gui {

LinkSentence link_sentences(const I18n& i18n) {
  return [&i18n](const LinkProblem& p) {
    std::string text = i18n.tr("link.problem." + p.key);
    for (const auto& [name, value] : p.args)
      text = fill_placeholders(text, {{name, value}});
    return text;
  };
}

std::string open_link(GuiOptions& options, const std::filesystem::path& scenarios_dir, I18n& i18n,
                      Workbench& bench) {
  const std::string fragment = std::move(*options.link);
  options.link.reset();
  const LinkSentence say = link_sentences(i18n);
  Result<MomentLink> link = decode(fragment, say);
  if (!link.is_ok()) return link.status().message();
  const MomentLink& m = link.value();
  Result<std::filesystem::path> file = lesson_path(scenarios_dir, m.lesson, say);
  if (!file.is_ok()) return file.status().message();

  // Landed aside, so a click the lesson refuses leaves `bench` as it was.
  Workbench there;
  if (Status st = there.load(file.value().string(), m.seed); !st.is_ok()) return st.message();
  if (Status st = land(there, m, say); !st.is_ok()) return st.message();
  // The language last: the sentences above are in the reader's.
  if (Status st = i18n.set_language(m.language); !st.is_ok()) return st.message();
  i18n.set_vocabulary(m.vocabulary == "broker" ? Vocabulary::kBroker : Vocabulary::kRestaurant);

  bench = std::move(there);
  options.scenario = file.value();
  options.seed.reset();
  options.at.clear();
  options.paused = m.paused;
  options.speed = m.speed;
  options.language = m.language;
  options.vocabulary = m.vocabulary;
  options.projector = m.projector;
  return {};
}

}  // namespace wmq::gui

// Opening a link to a moment (`warungmq gui --link FRAGMENT`): the sentences of a broken link in
// the reader's language, and the workbench brought to the moment a good one names.
//
// What the link holds wins over the options (a web page passes the reader's saved preferences
// with every link); the options are what a broken link opens the sandbox with, and its sentence
// is in the options' language, the reader's.
//
// Thread-safety: the GUI thread (it changes the I18n and the workbench it is given).
#pragma once

#include <filesystem>
#include <string>

#include "gui/app.h"
#include "gui/i18n.h"
#include "gui/model/link.h"
#include "gui/model/workbench.h"

namespace wmq::gui {

// Sentences from "link.problem.<key>" in `i18n`'s current language. `i18n` must outlive it.
LinkSentence link_sentences(const I18n& i18n);

// Opens `options.link` (which must be set) on `bench`, an unloaded workbench. A good link:
// `bench` is loaded with its lesson and seed and stands at its moment, paused; `options` then
// says the rest of it (scenario: the lesson's file, paused, speed, language, vocabulary,
// projector; seed and at cleared: already applied) and `i18n` speaks its language and words;
// returns "". A broken one: nothing changes but options.link, cleared; returns the sentence that
// says why (the caller opens the sandbox as for no link and shows it).
std::string open_link(GuiOptions& options, const std::filesystem::path& scenarios_dir, I18n& i18n,
                      Workbench& bench);

}  // namespace wmq::gui

#include "gui/views/link_view.h"

#include <imgui.h>

#include <utility>

#include "gui/shell.h"
#include "gui/widgets.h"

namespace wmq::gui {

namespace {

// A broken link's sentence is the first thing a student sees: long enough to read twice.
constexpr double kProblemSeconds = 30.0;

}  // namespace

LinkView::LinkView(const Workbench& bench, Shell& shell, std::filesystem::path scenarios_dir)
    : View("link", "link.title"),
      bench_(bench),
      shell_(shell),
      scenarios_dir_(std::move(scenarios_dir)) {
  set_open(false);
}

Result<std::string> LinkView::current() const {
  const I18n& t = shell_.i18n();
  if (bench_.live()) return Status::error(Code::kInvalid, t.tr("link.no_live"));
  std::optional<std::string> lesson = shipped_lesson(bench_.scenario().file, scenarios_dir_);
  if (!lesson) return Status::error(Code::kInvalid, t.tr("link.no_file"));
  MomentLink link = moment_of(bench_, std::move(*lesson));
  link.language = t.language();
  link.vocabulary = vocabulary_name(t.vocabulary());
  link.projector = shell_.projector();
  return link_text(link, base_url_);
}

void LinkView::copy() {
  shell_.commands().push("copy-link", [this] {
    Result<std::string> text = current();
    if (!text.is_ok()) {
      shell_.notify(text.status().message(), 8.0);
      return;
    }
    shown_ = std::move(text).value();
    shown_clicks_ = bench_.recorded().size();
    ImGui::SetClipboardText(shown_.c_str());
    copied_.push_back(shown_);
    set_open(true);
    request_focus();
  });
}

void LinkView::show_problem(std::string sentence) {
  problem_ = std::move(sentence);
  shell_.notify(problem_, kProblemSeconds);
}

void LinkView::drawContent(ViewContext& ctx) {
  const I18n& t = ctx.i18n;
  if (shown_.empty()) {
    set_open(false);
    return;
  }
  // Read-only, so ImGui never writes through the pointer; the text can be selected and copied.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float button = ImGui::CalcTextSize(t.tr("link.copy")).x + style.FramePadding.x * 2;
  ImGui::SetNextItemWidth(-(button + style.ItemSpacing.x));
  ImGui::InputText("##link", shown_.data(), shown_.size() + 1,
                   ImGuiInputTextFlags_ReadOnly | ImGuiInputTextFlags_AutoSelectAll);
  ctx.anchors.set_last_item("link.text");
  ImGui::SameLine();
  if (ImGui::Button(t.tr("link.copy"))) copy();
  ctx.anchors.set_last_item("link.copy");
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(
      fill_placeholders(t.tr("link.copied"), {{"count", std::to_string(shown_clicks_)}}).c_str());
  help_marker(t.tr("link.help"));
  ImGui::TextDisabled("%s", t.tr("link.shown"));
  ImGui::Separator();
  // The whole link, wrapped, for reading it off a projector.
  ImGui::TextUnformatted(shown_.c_str());
  ImGui::PopTextWrapPos();
}

nlohmann::json LinkView::state_json() const {
  using nlohmann::json;
  Result<std::string> text = current();
  return {{"text", text.is_ok() ? json(text.value()) : json()},
          {"none_because", text.is_ok() ? json() : json(text.status().message())},
          {"shown", shown_.empty() ? json() : json(shown_)},
          {"copied", copied_},
          {"problem", problem_.empty() ? json() : json(problem_)}};
}

}  // namespace wmq::gui

#include "gui/shortcuts.h"

#include <GLFW/glfw3.h>

namespace wmq::gui {

namespace {

constexpr Shortcut kShortcuts[] = {
    {GLFW_KEY_SPACE, false, false, "Space", "keys.toggle_play", Act::kTogglePlay},
    {GLFW_KEY_RIGHT, false, false, "\xE2\x86\x92", "keys.step", Act::kStep},
    {GLFW_KEY_LEFT, false, false, "\xE2\x86\x90", "keys.back", Act::kBack},
    {GLFW_KEY_EQUAL, false, false, "+", "keys.faster", Act::kFaster},
    {GLFW_KEY_KP_ADD, false, false, "+", "keys.faster", Act::kFaster},
    {GLFW_KEY_MINUS, false, false, "-", "keys.slower", Act::kSlower},
    {GLFW_KEY_KP_SUBTRACT, false, false, "-", "keys.slower", Act::kSlower},
    {GLFW_KEY_C, false, false, "C", "keys.crash_cook", Act::kCrashCook},
    {GLFW_KEY_F, false, false, "F", "keys.freeze_cook", Act::kFreezeCook},
    {GLFW_KEY_R, false, false, "R", "keys.revive_cook", Act::kReviveCook},
    {GLFW_KEY_K, false, false, "K", "keys.crash_cashier", Act::kCrashCashier},
    {GLFW_KEY_B, false, false, "B", "keys.crash_broker", Act::kCrashBroker},
    {GLFW_KEY_B, true, false, "Shift+B", "keys.restart_broker", Act::kRestartBroker},
    {GLFW_KEY_X, false, false, "X", "keys.bad_order", Act::kBadOrder},
    {GLFW_KEY_P, false, false, "P", "keys.poison_order", Act::kPoisonOrder},
    {GLFW_KEY_L, false, false, "L", "keys.lunch_rush", Act::kLunchRush},
    {GLFW_KEY_D, false, false, "D", "keys.toggle_durable", Act::kToggleDurable},
    {GLFW_KEY_M, false, false, "M", "keys.cycle_max_length", Act::kCycleMaxLength},
    {GLFW_KEY_T, false, false, "T", "keys.cycle_ttl", Act::kCycleTtl},
    {GLFW_KEY_Y, false, false, "Y", "keys.cycle_delivery_limit", Act::kCycleDeliveryLimit},
    {GLFW_KEY_F2, false, false, "F2", "keys.language", Act::kLanguage},
    {GLFW_KEY_F3, false, false, "F3", "keys.vocabulary", Act::kVocabulary},
    {GLFW_KEY_F11, false, false, "F11", "keys.projector", Act::kProjector},
    {GLFW_KEY_O, false, true, "Ctrl+O", "keys.open_scenario", Act::kOpenScenario},
    {GLFW_KEY_S, false, true, "Ctrl+S", "keys.save_files", Act::kSaveFiles},
    {GLFW_KEY_A, false, false, "A", "keys.compare", Act::kCompare},
    {GLFW_KEY_ESCAPE, false, false, "Esc", "keys.deselect", Act::kDeselect},
    {GLFW_KEY_H, false, false, "H", "keys.spotlight", Act::kSpotlight},
};

}  // namespace

std::span<const Shortcut> shortcuts() {
  return kShortcuts;
}

}  // namespace wmq::gui

// Keyboard shortcuts: one table, read both by the key handler and by the
// Help > Keyboard shortcuts window, so the list a teacher reads is the list
// that works. Every failure has a key, for a teacher at a projector.
//
// Thread-safety: constant data.
#pragma once

#include <cstdint>
#include <span>

namespace wmq::gui {

enum class Act : uint8_t {
  kTogglePlay,
  kStep,
  kBack,
  kFaster,
  kSlower,
  kCrashCook,
  kFreezeCook,
  kReviveCook,
  kCrashCashier,
  kCrashBroker,
  kRestartBroker,
  kBadOrder,
  kPoisonOrder,
  kLunchRush,
  kToggleDurable,
  kCycleMaxLength,
  kCycleTtl,
  kCycleDeliveryLimit,
  kLanguage,
  kVocabulary,
  kProjector,
  kOpenScenario,
  kSaveFiles,
  kCompare,
  kDeselect,
  kSpotlight,
};

struct Shortcut {
  int key;            // GLFW key code (ImGui 1.86 key index with the GLFW backend)
  bool shift;         // needs Shift held
  bool ctrl;          // needs Ctrl held
  const char* label;  // how it is written: "Shift+B"
  const char* what;   // i18n key of what it does
  Act act;
};

// Every shortcut, in the order the help lists them.
std::span<const Shortcut> shortcuts();

}  // namespace wmq::gui

// The plaintext of one sealed feature row: a small JSON document that only
// the participant's (and their provider's) own client ever sees. The daemon
// builds it from a DSP window result and hands it to the vault to seal.
#pragma once

#include <cstdint>
#include <string>

#include "dsp/eda_window.hpp"
#include "dsp/hrv_window.hpp"

namespace wardgate::daemon {

inline constexpr int kFeatureRecordVersion = 1;

// Serialises a window; `wallStartMs`/`wallEndMs` are the window's bounds on
// the wall clock, the `*S` fields inside are stream seconds.
[[nodiscard]] std::string recordJson(const dsp::HrvWindowResult& window, std::int64_t wallStartMs,
                                     std::int64_t wallEndMs);
[[nodiscard]] std::string recordJson(const dsp::EdaWindowResult& window, std::int64_t wallStartMs,
                                     std::int64_t wallEndMs);

}  // namespace wardgate::daemon

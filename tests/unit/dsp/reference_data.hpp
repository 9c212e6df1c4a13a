// Loading the recordings and NeuroKit2 reference values in tests/data for the DSP tests.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dsp/rr_interval.hpp"

namespace wardgate::dsp::testing {

/// tests/data/rr/<id>.csv as intervals; `successive` by the data README's rule
/// (|Δt·1000 - rr| <= 10 ms). With useTimes == false the times are rebuilt as cumsum(rr)/1000,
/// as NeuroKit2 does when it is given no RRI_Time.
std::vector<RrInterval> loadRr(const std::string& id, bool useTimes = true);

/// Recomputes times as cumsum(rr)/1000 from the first interval, and successive flags.
std::vector<RrInterval> withCumulativeTimes(std::vector<RrInterval> rr);

/// Feature values by name without the "HRV_" prefix (ms² band powers under plain names,
/// Lomb-Scargle ones with suffix _LOMB); nullopt where the reference has NaN.
using ReferenceValues = std::map<std::string, std::optional<double>>;

struct ReferenceWindow {
    int index;
    double startS;
    double endS;
    std::size_t firstRow;
    std::size_t lastRow;
    ReferenceValues values;
};

struct ReferenceRecording {
    std::string id;
    bool useTimes = true;
    std::size_t nIntervals = 0;
    ReferenceValues full;  // only the groups the reference computed
    bool fullNonlinear = false;
    std::vector<ReferenceWindow> windows;
};

/// Ids of every recording with a *__hrv_full.json in tests/data/reference, sorted.
std::vector<std::string> referenceRecordingIds();
ReferenceRecording loadReference(const std::string& id);

}  // namespace wardgate::dsp::testing

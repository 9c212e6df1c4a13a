#include "daemon/feature_record.hpp"

#include <nlohmann/json.hpp>

namespace wardgate::daemon {
namespace {

using nlohmann::json;

void putFeature(json& record, const char* name, const dsp::Feature& feature) {
    if (feature.defined()) {
        record["features"][name] = feature.value();
    } else {
        record["features"][name] = nullptr;
        record["undefined"][name] = std::string(dsp::toString(feature.reason()));
    }
}

json header(const char* signal, double startS, double endS, std::int64_t wallStartMs,
            std::int64_t wallEndMs) {
    return json{{"v", kFeatureRecordVersion},     {"signal", signal},
                {"window_start_ms", wallStartMs}, {"window_end_ms", wallEndMs},
                {"stream_start_s", startS},       {"stream_end_s", endS},
                {"features", json::object()}};
}

}  // namespace

std::string recordJson(const dsp::HrvWindowResult& window, std::int64_t wallStartMs,
                       std::int64_t wallEndMs) {
    json record = header("hrv", window.startS, window.endS, wallStartMs, wallEndMs);
    record["n_intervals"] = window.nIntervals;
    record["n_successive_diffs"] = window.nSuccessiveDiffs;
    putFeature(record, "MeanNN", window.time.meanNN);
    putFeature(record, "SDNN", window.time.sdnn);
    putFeature(record, "RMSSD", window.time.rmssd);
    putFeature(record, "pNN50", window.time.pnn50);
    return record.dump();
}

std::string recordJson(const dsp::EdaWindowResult& window, std::int64_t wallStartMs,
                       std::int64_t wallEndMs) {
    json record = header("eda", window.startS, window.endS, wallStartMs, wallEndMs);
    record["n_samples"] = window.nSamples;
    putFeature(record, "SCL_mean", window.meanScl);
    putFeature(record, "SCR_count", window.scrCount);
    return record.dump();
}

}  // namespace wardgate::daemon

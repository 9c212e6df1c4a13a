#include "dsp/hrv_features.hpp"

#include <cmath>

#include "dsp/hrv_detail.hpp"

namespace wardgate::dsp {
namespace {

constexpr std::array<std::string_view, kHrvFeatureCount> kNames = {
    "MeanNN",   "SDNN",     "SDANN1",       "SDNNI1",     "SDANN2",   "SDNNI2",   "SDANN5",
    "SDNNI5",   "RMSSD",    "SDSD",         "CVNN",       "CVSD",     "MedianNN", "MadNN",
    "MCVNN",    "IQRNN",    "SDRMSSD",      "Prc20NN",    "Prc80NN",  "pNN50",    "pNN20",
    "MinNN",    "MaxNN",    "HTI",          "TINN",       "ULF",      "VLF",      "LF",
    "HF",       "VHF",      "TP",           "LFHF",       "LFn",      "HFn",      "LnHF",
    "ULF_LOMB", "VLF_LOMB", "LF_LOMB",      "HF_LOMB",    "VHF_LOMB", "TP_LOMB",  "LFHF_LOMB",
    "LFn_LOMB", "HFn_LOMB", "LnHF_LOMB",    "SD1",        "SD2",      "SD1SD2",   "S",
    "CSI",      "CVI",      "CSI_Modified", "PIP",        "IALS",     "PSS",      "PAS",
    "GI",       "SI",       "AI",           "PI",         "C1d",      "C1a",      "SD1d",
    "SD1a",     "C2d",      "C2a",          "SD2d",       "SD2a",     "Cd",       "Ca",
    "SDNNd",    "SDNNa",    "DFA_alpha1",   "DFA_alpha2", "ApEn",     "SampEn",
};

}  // namespace

std::string_view toString(HrvProfile profile) noexcept {
    return profile == HrvProfile::Reference ? "reference" : "taskforce";
}

std::optional<HrvProfile> parseHrvProfile(std::string_view name) noexcept {
    if (name == "reference") {
        return HrvProfile::Reference;
    }
    if (name == "taskforce") {
        return HrvProfile::Taskforce;
    }
    return std::nullopt;
}

std::string_view featureName(HrvFeatureId id) noexcept {
    const auto i = static_cast<std::size_t>(id);
    return i < kNames.size() ? kNames[i] : std::string_view("unknown");
}

std::optional<HrvFeatureId> featureIdFromName(std::string_view name) noexcept {
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (kNames[i] == name) {
            return static_cast<HrvFeatureId>(i);
        }
    }
    return std::nullopt;
}

HrvFeatureSet::HrvFeatureSet() noexcept {
    values_.fill(Feature::undefined(UndefinedReason::TooFewIntervals));
}

HrvFeatureSet computeHrv(std::span<const RrInterval> rr, const HrvOptions& options) {
    HrvFeatureSet out;
    const auto series = detail::prepareSeries(rr, options.profile);
    if (series.rr.empty()) {
        return out;
    }
    if (options.domains.time) {
        detail::computeTimeDomain(series, out);
    }
    if (options.domains.frequency || options.domains.lomb) {
        detail::computeFrequencyDomain(series, options.domains.frequency, options.domains.lomb,
                                       out);
    }
    if (options.domains.nonlinear) {
        detail::computePoincare(series, out);
    }
    if (options.domains.complexity) {
        detail::computeComplexity(series, out);
    }
    return out;
}

}  // namespace wardgate::dsp

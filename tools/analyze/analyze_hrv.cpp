#include "tools/analyze/analyze_hrv.hpp"

#include <algorithm>
#include <ostream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "dsp/hrv_analysis.hpp"
#include "dsp/rr_artifacts.hpp"
#include "tools/analyze/rr_csv.hpp"

namespace wardgate::analyze {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kQualityColumns[] = {"window_start_s",     "window_end_s", "n_intervals",
                                           "n_successive_diffs", "n_dropped",    "n_corrected",
                                           "corrected_share",    "low_quality"};

Json toJson(const dsp::HrvWindowFeatures& w, std::size_t nDropped) {
    Json j;
    j["window_start_s"] = w.startS;
    j["window_end_s"] = w.endS;
    j["n_intervals"] = w.nIntervals;
    j["n_successive_diffs"] = w.nSuccessiveDiffs;
    j["n_dropped"] = nDropped;
    j["n_corrected"] = w.nCorrected;
    j["corrected_share"] = w.correctedShare;
    j["low_quality"] = w.lowQuality;
    Json undefined = Json::object();
    for (std::size_t i = 0; i < dsp::kHrvFeatureCount; ++i) {
        const auto id = static_cast<dsp::HrvFeatureId>(i);
        const std::string name(dsp::featureName(id));
        const auto& f = w.features[id];
        if (f.defined()) {
            j[name] = f.value();
        } else {
            j[name] = nullptr;
            undefined[name] = std::string(dsp::toString(f.reason()));
        }
    }
    j["undefined"] = std::move(undefined);
    return j;
}

void writeCsvHeader(std::ostream& out) {
    const char* sep = "";
    for (const char* c : kQualityColumns) {
        out << sep << c;
        sep = ",";
    }
    for (std::size_t i = 0; i < dsp::kHrvFeatureCount; ++i) {
        out << ',' << dsp::featureName(static_cast<dsp::HrvFeatureId>(i));
    }
    out << '\n';
}

void writeCsvRow(std::ostream& out, const Json& j) {
    const char* sep = "";
    for (const auto& [key, value] : j.items()) {
        if (key == "undefined") {
            continue;
        }
        out << sep;
        sep = ",";
        if (!value.is_null()) {
            out << (value.is_boolean() ? (value.get<bool>() ? "1" : "0") : value.dump());
        }
    }
    out << '\n';
}

// Per-window correction counts from the times of the corrected beats.
void markQuality(std::vector<dsp::HrvWindowFeatures>& windows, const std::vector<double>& at,
                 double lowQualityShare) {
    for (auto& w : windows) {
        const auto first = std::upper_bound(at.begin(), at.end(), w.startS);
        const auto past = std::upper_bound(first, at.end(), w.endS);
        w.nCorrected = static_cast<std::size_t>(past - first);
        const auto n = static_cast<double>(std::max<std::size_t>(w.nIntervals, 1));
        w.correctedShare = static_cast<double>(w.nCorrected) / n;
        w.lowQuality = w.correctedShare > lowQualityShare;
    }
}

}  // namespace

void analyzeHrv(const AnalyzeHrvOptions& options, std::istream& in, std::ostream& out) {
    if (options.correct != "none" && options.correct != "lipponen") {
        throw std::invalid_argument("--correct must be 'none' or 'lipponen'");
    }
    auto rr = readRrCsv(in);
    const auto nDropped = dsp::dropBadIntervals(rr).nDropped;
    std::vector<double> correctedAt;
    if (options.correct == "lipponen") {
        auto fixed = dsp::correctArtifacts(rr);
        rr = std::move(fixed.rr);
        correctedAt = std::move(fixed.correctedAtS);
    }
    const dsp::HrvOptions hrv{options.profile, options.domains};

    std::vector<dsp::HrvWindowFeatures> windows;
    if (options.whole) {
        windows.push_back(dsp::analyzeWhole(rr, hrv));
    } else {
        windows = dsp::analyzeWindows(rr, dsp::WindowSpec{options.windowS, options.hopS}, hrv);
    }
    markQuality(windows, correctedAt, options.lowQualityShare);
    if (options.format == OutputFormat::Csv) {
        writeCsvHeader(out);
    }
    for (const auto& w : windows) {
        const auto j = toJson(w, nDropped);
        if (options.format == OutputFormat::Csv) {
            writeCsvRow(out, j);
        } else {
            out << j.dump() << '\n';
        }
    }
}

}  // namespace wardgate::analyze

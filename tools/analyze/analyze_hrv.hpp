// `wardgate analyze hrv`: HRV features of a recorded RR series, one record per window.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "dsp/hrv_features.hpp"

namespace wardgate::analyze {

enum class OutputFormat { JsonLines, Csv };

struct AnalyzeHrvOptions {
    double windowS = 300.0;
    double hopS = 60.0;
    bool whole = false;  ///< one record for the whole recording instead of windows
    dsp::HrvProfile profile = dsp::HrvProfile::Taskforce;
    std::string correct = "none";  ///< "none" | "lipponen"
    OutputFormat format = OutputFormat::JsonLines;
    dsp::HrvDomains domains;
    double lowQualityShare = 0.05;  ///< corrected share above which a window is low quality
};

/// Reads a `t_s,rr_ms` CSV from `in` and writes one JSON object per window (JSON Lines) or a
/// CSV table to `out`. Field order: window_start_s, window_end_s, n_intervals,
/// n_successive_diffs, n_dropped, n_corrected, corrected_share, low_quality, then every
/// feature by its reference name (band powers in ms²; Lomb-Scargle with suffix _LOMB).
/// JSON: an undefined feature is null and its reason is under "undefined"; CSV: empty cell.
/// With correct == "lipponen" the whole recording is corrected first (dsp/rr_artifacts.hpp) and
/// each window reports the corrections inside it; low_quality when their share exceeds
/// lowQualityShare. Throws InputError (rr_csv.hpp) for input it refuses and
/// std::invalid_argument for options it refuses.
void analyzeHrv(const AnalyzeHrvOptions& options, std::istream& in, std::ostream& out);

}  // namespace wardgate::analyze

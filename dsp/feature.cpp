#include "dsp/feature.hpp"

#include <cmath>

namespace wardgate::dsp {

std::string_view toString(UndefinedReason reason) noexcept {
    switch (reason) {
        case UndefinedReason::TooFewIntervals:
            return "too_few_intervals";
        case UndefinedReason::NoVariability:
            return "no_variability";
        case UndefinedReason::MostlyGaps:
            return "mostly_gaps";
        case UndefinedReason::TooFewSamples:
            return "too_few_samples";
        case UndefinedReason::TooShort:
            return "too_short";
        case UndefinedReason::QualityFlagged:
            return "quality_flagged";
    }
    return "unknown";
}

Feature Feature::of(double v) noexcept {
    if (!std::isfinite(v)) {
        return undefined(UndefinedReason::NoVariability);
    }
    return Feature(v, true, UndefinedReason::TooFewIntervals);
}

Feature Feature::undefined(UndefinedReason r) noexcept {
    return Feature(0.0, false, r);
}

}  // namespace wardgate::dsp

#include "dsp/hrv_detail.hpp"

namespace wardgate::dsp::detail {

void computeComplexity(const HrvSeries&, HrvFeatureSet&) {}

}  // namespace wardgate::dsp::detail

#include "dsp/hrv_detail.hpp"

namespace wardgate::dsp::detail {

void computeFrequencyDomain(const HrvSeries&, bool, bool, HrvFeatureSet&) {}

}  // namespace wardgate::dsp::detail

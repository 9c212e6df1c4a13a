// Hand-computed reference values; tolerance 1e-12 relative (a handful of double operations).
#include "dsp/hrv_time.hpp"

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

using wardgate::dsp::computeTimeDomain;
using wardgate::dsp::RrInterval;
using wardgate::dsp::UndefinedReason;

namespace {

std::vector<RrInterval> series(const std::vector<double>& rrMs) {
    std::vector<RrInterval> out;
    double t = 10.0;
    for (double rr : rrMs) {
        t += rr / 1000.0;
        out.push_back(RrInterval{t, rr, true});
    }
    return out;
}

}  // namespace

TEST_CASE("Time-domain HRV of five successive intervals matches the hand computation") {
    // rr = 800 810 790 850 900: mean 830; squared deviations sum 8200 -> SDNN sqrt(8200/4);
    // differences 10 -20 60 50 -> RMSSD sqrt(6600/4); only 60 is > 50 -> pNN50 = 25 %.
    const auto td = computeTimeDomain(series({800, 810, 790, 850, 900}));
    CHECK(td.meanNN.value() == Approx(830.0).epsilon(1e-12));
    CHECK(td.sdnn.value() == Approx(std::sqrt(2050.0)).epsilon(1e-12));
    CHECK(td.rmssd.value() == Approx(std::sqrt(1650.0)).epsilon(1e-12));
    CHECK(td.pnn50.value() == Approx(25.0).epsilon(1e-12));
}

TEST_CASE("A gap is never bridged into a successive difference") {
    // 850 follows a gap: differences 10 -20 50 remain -> RMSSD sqrt(3000/3), pNN50 0 (50 is not >
    // 50).
    auto rr = series({800, 810, 790, 850, 900});
    rr[3].successive = false;
    const auto td = computeTimeDomain(rr);
    CHECK(td.meanNN.value() == Approx(830.0).epsilon(1e-12));
    CHECK(td.sdnn.value() == Approx(std::sqrt(2050.0)).epsilon(1e-12));
    CHECK(td.rmssd.value() == Approx(std::sqrt(1000.0)).epsilon(1e-12));
    CHECK(td.pnn50.defined());
    CHECK(td.pnn50.value() == 0.0);
}

TEST_CASE("Too few intervals give undefined features with reasons and never NaN") {
    const auto none = computeTimeDomain({});
    CHECK_FALSE(none.meanNN.defined());
    CHECK(none.meanNN.reason() == UndefinedReason::TooFewIntervals);

    const auto one = computeTimeDomain(series({800}));
    CHECK(one.meanNN.value() == 800.0);
    CHECK(one.sdnn.reason() == UndefinedReason::TooFewIntervals);
    CHECK(one.rmssd.reason() == UndefinedReason::TooFewIntervals);

    auto broken = series({800, 820, 810});
    broken[1].successive = false;
    broken[2].successive = false;
    const auto gaps = computeTimeDomain(broken);
    CHECK(gaps.sdnn.defined());
    CHECK(gaps.rmssd.reason() == UndefinedReason::MostlyGaps);
    CHECK(gaps.pnn50.reason() == UndefinedReason::MostlyGaps);
}

TEST_CASE("Constant intervals give zero spread rather than undefined") {
    const auto td = computeTimeDomain(series(std::vector<double>(8, 750.0)));
    CHECK(td.sdnn.value() == 0.0);
    CHECK(td.rmssd.value() == 0.0);
    CHECK(td.pnn50.value() == 0.0);
}

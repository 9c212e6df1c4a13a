// computeHrv on the inputs real bands send: constant RR, too few beats, gaps, non-monotonic
// times. The contract checked here: nothing throws, nothing is NaN or infinite, and features
// that cannot be computed say why.
#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "dsp/hrv_analysis.hpp"
#include "dsp/hrv_features.hpp"

using wardgate::dsp::computeHrv;
using wardgate::dsp::featureIdFromName;
using wardgate::dsp::featureName;
using wardgate::dsp::HrvFeatureId;
using wardgate::dsp::HrvFeatureSet;
using wardgate::dsp::HrvOptions;
using wardgate::dsp::HrvProfile;
using wardgate::dsp::kHrvFeatureCount;
using wardgate::dsp::RrInterval;
using wardgate::dsp::UndefinedReason;

namespace {

std::vector<RrInterval> series(const std::vector<double>& rrMs) {
    std::vector<RrInterval> out;
    double t = 100.0;
    for (double rr : rrMs) {
        t += rr / 1000.0;
        out.push_back(RrInterval{t, rr, true});
    }
    return out;
}

std::vector<RrInterval> varied(std::size_t n) {
    std::vector<double> rr;
    for (std::size_t i = 0; i < n; ++i) {
        rr.push_back(800.0 + 40.0 * std::sin(static_cast<double>(i) * 1.3) +
                     15.0 * std::cos(static_cast<double>(i) * 0.31));
    }
    return series(rr);
}

void requireFinite(const HrvFeatureSet& f) {
    for (std::size_t i = 0; i < kHrvFeatureCount; ++i) {
        const auto id = static_cast<HrvFeatureId>(i);
        INFO(featureName(id));
        if (f[id].defined()) {
            CHECK(std::isfinite(f[id].value()));
        } else {
            CHECK(f[id].value() == 0.0);
        }
    }
}

HrvOptions profile(HrvProfile p) {
    HrvOptions o;
    o.profile = p;
    return o;
}

}  // namespace

TEST_CASE("A notification-sized window of constant RR gives zero spread and no NaN") {
    for (auto p : {HrvProfile::Taskforce, HrvProfile::Reference}) {
        const auto f = computeHrv(series(std::vector<double>(8, 750.0)), profile(p));
        requireFinite(f);
        CHECK(f[HrvFeatureId::MeanNN].value() == 750.0);
        CHECK(f[HrvFeatureId::SDNN].value() == 0.0);
        CHECK(f[HrvFeatureId::RMSSD].value() == 0.0);
        CHECK(f[HrvFeatureId::SD1].value() == 0.0);
        CHECK(f[HrvFeatureId::SD1SD2].reason() == UndefinedReason::NoVariability);
        CHECK(f[HrvFeatureId::SampEn].value() == 0.0);  // every template matches (r = 0)
        CHECK_FALSE(f[HrvFeatureId::LF].defined());
    }
}

TEST_CASE("DFA alpha1 needs 12 intervals in the reference profile so 5 and 11 are too few") {
    const auto opts = profile(HrvProfile::Reference);
    for (std::size_t n : {std::size_t{5}, std::size_t{11}}) {
        const auto f = computeHrv(varied(n), opts);
        requireFinite(f);
        CHECK(f[HrvFeatureId::DFA_alpha1].reason() == UndefinedReason::TooFewIntervals);
        CHECK(f[HrvFeatureId::SDNN].defined());
    }
    const auto twelve = computeHrv(varied(12), opts);
    requireFinite(twelve);
    CHECK(twelve[HrvFeatureId::DFA_alpha1].defined());
    CHECK_FALSE(twelve[HrvFeatureId::DFA_alpha2].defined());
}

TEST_CASE("Zero to two intervals leave everything but the basics undefined and never NaN") {
    for (auto p : {HrvProfile::Taskforce, HrvProfile::Reference}) {
        for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{2}}) {
            const auto f = computeHrv(varied(n), profile(p));
            requireFinite(f);
            CHECK(f[HrvFeatureId::SD1].defined() == false);
        }
    }
}

TEST_CASE("Non-monotonic beat times are dropped and never bridged into a difference") {
    auto rr = series({800, 810, 820, 830, 840, 850});
    rr[3].endS = rr[1].endS;  // a beat time that goes backwards
    const auto f = computeHrv(rr, profile(HrvProfile::Taskforce));
    requireFinite(f);
    CHECK(f[HrvFeatureId::MeanNN].value() == Approx((800 + 810 + 820 + 840 + 850) / 5.0));
    // Differences 10, 10, (gap), 10: RMSSD stays 10, the 820 -> 840 jump is not used.
    CHECK(f[HrvFeatureId::RMSSD].value() == Approx(10.0));
    const auto clean = wardgate::dsp::dropBadIntervals(rr);
    CHECK(clean.nDropped == 1);
}

TEST_CASE(
    "Taskforce counts pNN50 over the differences and the reference over differences plus one") {
    const auto rr = series({800, 900, 800, 900, 800});  // four differences, all 100 ms
    CHECK(computeHrv(rr, profile(HrvProfile::Taskforce))[HrvFeatureId::pNN50].value() == 100.0);
    CHECK(computeHrv(rr, profile(HrvProfile::Reference))[HrvFeatureId::pNN50].value() == 80.0);
}

TEST_CASE("A long synthetic window gives every taskforce feature a finite value") {
    const auto f = computeHrv(varied(400), profile(HrvProfile::Taskforce));
    requireFinite(f);
    for (const char* name : {"LF", "HF", "LFHF", "LF_LOMB", "SD1", "SampEn", "ApEn", "DFA_alpha1",
                             "DFA_alpha2", "TINN", "HTI", "PIP", "GI"}) {
        INFO(name);
        CHECK((*featureIdFromName(name) <= HrvFeatureId::SampEn));
        CHECK(f[*featureIdFromName(name)].defined());
    }
}

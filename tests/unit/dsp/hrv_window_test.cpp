// RrWindower against a brute-force recomputation of every window from the whole series
// (tolerance 1e-12 relative: the same sums in the same order), plus the window-grid contract.
#include "dsp/hrv_window.hpp"

#include "reference_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include "dsp/hrv_analysis.hpp"

using wardgate::dsp::HrvWindowResult;
using wardgate::dsp::RrInterval;
using wardgate::dsp::RrWindower;
using wardgate::dsp::WindowSpec;

namespace {

// A deterministic synthetic stream: RR around 800 ms with respiratory-like modulation and
// jitter, and every 97th interval preceded by a dropped beat (gap of one extra RR).
std::vector<RrInterval> syntheticStream(std::size_t n) {
    std::vector<RrInterval> out;
    std::uint32_t state = 12345U;
    double t = 3.0;
    for (std::size_t i = 0; i < n; ++i) {
        state = state * 1664525U + 1013904223U;
        const double jitter = static_cast<double>(state >> 8U) / 16777216.0 - 0.5;
        const double rr = 800.0 + 60.0 * std::sin(static_cast<double>(i) * 0.4) + 80.0 * jitter;
        const bool gap = i % 97 == 96;
        t += (gap ? 2.0 : 1.0) * rr / 1000.0;
        out.push_back(RrInterval{t, rr, !gap});
    }
    return out;
}

struct Expected {
    std::size_t n = 0;
    std::size_t nDiffs = 0;
    double mean = 0.0;
    double sdnn = 0.0;
    double rmssd = 0.0;
};

Expected bruteForce(const std::vector<RrInterval>& all, double start, double end) {
    std::vector<RrInterval> in;
    for (const auto& r : all) {
        if (start < r.endS && r.endS <= end) {
            in.push_back(r);
        }
    }
    Expected e;
    e.n = in.size();
    double sum = 0.0;
    for (const auto& r : in) {
        sum += r.rrMs;
    }
    e.mean = sum / static_cast<double>(e.n);
    double ss = 0.0;
    for (const auto& r : in) {
        ss += (r.rrMs - e.mean) * (r.rrMs - e.mean);
    }
    e.sdnn = std::sqrt(ss / static_cast<double>(e.n - 1));
    double sq = 0.0;
    for (std::size_t i = 1; i < in.size(); ++i) {
        if (in[i].successive) {
            sq += (in[i].rrMs - in[i - 1].rrMs) * (in[i].rrMs - in[i - 1].rrMs);
            ++e.nDiffs;
        }
    }
    e.rmssd = std::sqrt(sq / static_cast<double>(e.nDiffs));
    return e;
}

std::vector<HrvWindowResult> runAll(const std::vector<RrInterval>& rr, WindowSpec spec) {
    RrWindower w(spec);
    std::vector<HrvWindowResult> closed;
    for (const auto& r : rr) {
        w.push(r, closed);
    }
    w.flush(closed);
    return closed;
}

}  // namespace

TEST_CASE("Every window equals a recomputation from the intervals it contains") {
    const auto rr = syntheticStream(2000);
    const WindowSpec spec{300.0, 60.0};
    const auto windows = runAll(rr, spec);
    REQUIRE(windows.size() > 20);

    const double start0 = rr.front().endS - rr.front().rrMs / 1000.0;
    for (std::size_t k = 0; k < windows.size(); ++k) {
        const auto& w = windows[k];
        CHECK(w.startS == start0 + static_cast<double>(k) * 60.0);
        CHECK(w.endS == start0 + static_cast<double>(k) * 60.0 + 300.0);
        const auto e = bruteForce(rr, w.startS, w.endS);
        CHECK(w.nIntervals == e.n);
        CHECK(w.nSuccessiveDiffs == e.nDiffs);
        CHECK(w.time.meanNN.value() == Approx(e.mean).epsilon(1e-12));
        CHECK(w.time.sdnn.value() == Approx(e.sdnn).epsilon(1e-12));
        CHECK(w.time.rmssd.value() == Approx(e.rmssd).epsilon(1e-12));
    }
    CHECK(windows.back().startS < rr.back().endS);
}

TEST_CASE("Windows do not depend on how the intervals were batched into notifications") {
    const auto rr = syntheticStream(1500);
    const WindowSpec spec{120.0, 30.0};
    const auto oneByOne = runAll(rr, spec);

    RrWindower w(spec);
    std::vector<HrvWindowResult> batched;
    std::size_t batch = 1;
    for (std::size_t i = 0; i < rr.size();) {
        std::vector<HrvWindowResult> fromThisBatch;
        for (std::size_t j = 0; j < batch && i < rr.size(); ++j, ++i) {
            w.push(rr[i], fromThisBatch);
        }
        batched.insert(batched.end(), fromThisBatch.begin(), fromThisBatch.end());
        batch = batch % 7 + 1;
    }
    w.flush(batched);

    REQUIRE(batched.size() == oneByOne.size());
    for (std::size_t k = 0; k < batched.size(); ++k) {
        CHECK(batched[k].startS == oneByOne[k].startS);
        CHECK(batched[k].nIntervals == oneByOne[k].nIntervals);
        CHECK(batched[k].time.rmssd == oneByOne[k].time.rmssd);
        CHECK(batched[k].time.sdnn == oneByOne[k].time.sdnn);
    }
}

TEST_CASE("A window closes only when an interval ends after it and the boundary beat belongs in") {
    // Grid starts at 0 (first interval 1 s long ending at 1 s); window 0 is (0, 10].
    RrWindower w(WindowSpec{10.0, 5.0});
    std::vector<HrvWindowResult> closed;
    for (int i = 1; i <= 10; ++i) {
        w.push(RrInterval{static_cast<double>(i), 1000.0, true}, closed);
    }
    CHECK(closed.empty());
    w.push(RrInterval{11.0, 1000.0, true}, closed);
    REQUIRE(closed.size() == 1);
    CHECK(closed[0].startS == 0.0);
    CHECK(closed[0].endS == 10.0);
    CHECK(closed[0].nIntervals == 10);
    CHECK(closed[0].nSuccessiveDiffs == 9);
}

TEST_CASE("A pause in the stream emits no empty windows and bridges no difference") {
    RrWindower w(WindowSpec{10.0, 5.0});
    std::vector<HrvWindowResult> closed;
    for (int i = 1; i <= 4; ++i) {
        w.push(RrInterval{static_cast<double>(i), 1000.0, true}, closed);
    }
    // One hour later the stream resumes; the caller marks the interval as not successive.
    w.push(RrInterval{3604.0, 1000.0, false}, closed);
    w.push(RrInterval{3605.0, 1200.0, true}, closed);
    w.flush(closed);
    for (const auto& r : closed) {
        CHECK(r.nIntervals > 0);
    }
    REQUIRE(closed.size() == 3);  // (0,10] before the pause; (3595,3605], (3600,3610] after
    CHECK(closed[0].nIntervals == 4);
    CHECK(closed[1].startS == 3595.0);
    CHECK(closed[1].nIntervals == 2);
    CHECK(closed[1].nSuccessiveDiffs == 1);
    CHECK(closed[1].time.rmssd.value() == Approx(200.0));
}

TEST_CASE("Bad intervals are dropped and the next one is not treated as successive") {
    RrWindower w(WindowSpec{100.0, 100.0});
    std::vector<HrvWindowResult> closed;
    w.push(RrInterval{1.0, 1000.0, true}, closed);
    w.push(RrInterval{2.0, 1000.0, true}, closed);
    w.push(RrInterval{std::nan(""), 1000.0, true}, closed);
    w.push(RrInterval{1.5, 500.0, true}, closed);  // out of order
    w.push(RrInterval{3.0, -1.0, true}, closed);
    w.push(RrInterval{3.8, 800.0, true}, closed);
    w.push(RrInterval{4.6, 800.0, true}, closed);
    w.flush(closed);
    CHECK(w.droppedCount() == 3);
    REQUIRE(closed.size() == 1);
    CHECK(closed[0].nIntervals == 4);
    CHECK(closed[0].nSuccessiveDiffs == 2);  // 1000->1000 and 800->800; 1000->800 is broken
    CHECK(closed[0].time.rmssd.value() == 0.0);
}

TEST_CASE("An invalid window spec is refused at construction") {
    CHECK_THROWS_AS(RrWindower(WindowSpec{0.0, 60.0}), std::invalid_argument);
    CHECK_THROWS_AS(RrWindower(WindowSpec{300.0, -1.0}), std::invalid_argument);
    CHECK_THROWS_AS(RrWindower(WindowSpec{std::nan(""), 60.0}), std::invalid_argument);
}

TEST_CASE("Streaming windows on a real Holter recording equal the two-pass computation") {
    // LTDB 14046 NN: real gaps where ectopic beats were removed. Tolerance 1e-12 relative.
    auto rr = wardgate::dsp::testing::loadRr("ltdb_14046_nn");
    rr.resize(std::min<std::size_t>(rr.size(), 15000));
    const WindowSpec spec{300.0, 60.0};
    const auto streamed = runAll(rr, spec);
    const auto batch = wardgate::dsp::analyzeWindows(rr, spec, wardgate::dsp::HrvOptions{});
    REQUIRE(streamed.size() == batch.size());
    for (std::size_t k = 0; k < streamed.size(); ++k) {
        const auto& f = batch[k].features;
        CHECK(streamed[k].startS == batch[k].startS);
        CHECK(streamed[k].nIntervals == batch[k].nIntervals);
        CHECK(streamed[k].time.meanNN.value() == f[wardgate::dsp::HrvFeatureId::MeanNN].value());
        CHECK(streamed[k].time.sdnn.value() ==
              Approx(f[wardgate::dsp::HrvFeatureId::SDNN].value()).epsilon(1e-12));
        CHECK(streamed[k].time.rmssd.value() ==
              Approx(f[wardgate::dsp::HrvFeatureId::RMSSD].value()).epsilon(1e-12));
        CHECK(streamed[k].time.pnn50.value() ==
              Approx(f[wardgate::dsp::HrvFeatureId::pNN50].value()).epsilon(1e-12));
    }
}

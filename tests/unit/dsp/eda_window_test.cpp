// EdaWindower on synthetic skin conductance: values are constructed so the expected counts are
// unambiguous (responses of 0.2 µS against a 0.01 µS threshold, flat signals with none).
#include "dsp/eda_window.hpp"

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

using wardgate::dsp::EdaWindower;
using wardgate::dsp::EdaWindowResult;
using wardgate::dsp::UndefinedReason;
using wardgate::dsp::WindowSpec;

namespace {

// A skin conductance response: Bateman-like rise and recovery starting at onsetS, peak ~ampUs.
double scr(double t, double onsetS, double ampUs) {
    if (t < onsetS) {
        return 0.0;
    }
    const double x = t - onsetS;
    const double shape = std::exp(-x / 4.0) - std::exp(-x / 0.75);
    return ampUs * shape / 0.62;
}

std::vector<EdaWindowResult> run(EdaWindower& w, double fs, double durationS, auto signal) {
    std::vector<EdaWindowResult> closed;
    const auto n = static_cast<int>(durationS * fs);
    for (int i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / fs;
        w.push(t, signal(t), closed);
    }
    w.flush(closed);
    return closed;
}

}  // namespace

TEST_CASE("A flat skin conductance gives zero SCRs and its level as the mean") {
    EdaWindower w(WindowSpec{60.0, 30.0}, 4.0);
    const auto windows = run(w, 4.0, 300.0, [](double) { return 2.5; });
    REQUIRE(windows.size() >= 8);
    for (const auto& win : windows) {
        CHECK(win.meanScl.value() == Approx(2.5).epsilon(1e-12));
        if (win.scrCount.defined()) {
            CHECK(win.scrCount.value() == 0.0);
        }
    }
    CHECK(windows.front().nSamples == 240);
    CHECK(windows.front().scrCount.defined());
}

TEST_CASE("A synthetic skin conductance response on a drifting baseline is counted once") {
    EdaWindower w(WindowSpec{60.0, 60.0}, 32.0);
    const auto windows =
        run(w, 32.0, 180.0, [](double t) { return 3.0 + 0.002 * t + scr(t, 70.0, 0.2); });
    REQUIRE(windows.size() == 3);
    CHECK(windows[0].scrCount.value() == 0.0);
    CHECK(windows[1].scrCount.value() == 1.0);
    CHECK(windows[2].scrCount.value() == 0.0);
}

TEST_CASE("Responses below 0.01 µS are not SCRs") {
    EdaWindower w(WindowSpec{60.0, 60.0}, 32.0);
    const auto windows = run(w, 32.0, 120.0, [](double t) { return 1.0 + scr(t, 30.0, 0.005); });
    REQUIRE(windows.size() == 2);
    CHECK(windows[0].scrCount.value() == 0.0);
}

TEST_CASE("A level step across a gap in EDA samples is not bridged into an SCR") {
    EdaWindower w(WindowSpec{120.0, 120.0}, 4.0);
    std::vector<EdaWindowResult> closed;
    for (int i = 0; i < 240; ++i) {  // 0 .. 59.75 s at 1 µS
        w.push(i / 4.0, 1.0, closed);
    }
    for (int i = 280; i < 480; ++i) {  // 70 .. 119.75 s at 2 µS, after a 10 s gap
        w.push(i / 4.0, 2.0, closed);
    }
    w.flush(closed);
    REQUIRE(closed.size() == 1);
    CHECK(closed[0].nSamples == 440);
    CHECK(closed[0].scrCount.value() == 0.0);

    // The same step without the gap is a phasic transient and is counted.
    EdaWindower bridged(WindowSpec{120.0, 120.0}, 4.0);
    std::vector<EdaWindowResult> closed2;
    for (int i = 0; i < 480; ++i) {
        bridged.push(i / 4.0, i < 240 ? 1.0 : 2.0, closed2);
    }
    bridged.flush(closed2);
    REQUIRE(closed2.size() == 1);
    CHECK(closed2[0].scrCount.value() == 1.0);
}

TEST_CASE("Short and gappy EDA windows report why the SCR count is undefined") {
    EdaWindower w(WindowSpec{60.0, 60.0}, 4.0);
    std::vector<EdaWindowResult> closed;
    for (int i = 0; i < 40; ++i) {  // 10 s, then end of stream
        w.push(i / 4.0, 1.0 + 0.01 * i, closed);
    }
    w.flush(closed);
    REQUIRE(closed.size() == 1);
    CHECK(closed[0].meanScl.defined());
    CHECK(closed[0].scrCount.reason() == UndefinedReason::TooShort);

    EdaWindower sparse(WindowSpec{60.0, 60.0}, 4.0);
    closed.clear();
    for (int i = 0; i < 60; ++i) {  // one sample per second where four are expected
        sparse.push(i, 1.0, closed);
    }
    sparse.flush(closed);
    REQUIRE(closed.size() == 1);
    CHECK(closed[0].scrCount.reason() == UndefinedReason::MostlyGaps);
}

TEST_CASE("Bad EDA samples are dropped and a bad rate is refused") {
    EdaWindower w(WindowSpec{60.0, 60.0}, 4.0);
    std::vector<EdaWindowResult> closed;
    w.push(0.0, 1.0, closed);
    w.push(0.25, std::nan(""), closed);
    w.push(0.5, 1.0, closed);
    w.push(0.1, 1.0, closed);
    w.flush(closed);
    CHECK(w.droppedCount() == 2);
    REQUIRE(closed.size() == 1);
    CHECK(closed[0].nSamples == 2);
    CHECK_THROWS_AS(EdaWindower(WindowSpec{}, 0.0), std::invalid_argument);
    CHECK_THROWS_AS(EdaWindower(WindowSpec{}, std::nan("")), std::invalid_argument);
}

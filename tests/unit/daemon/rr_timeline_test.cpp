// RrTimeline dates beats from notifications that carry none: these tests pin
// down when it continues a segment and when it declares a gap.

#include "daemon/rr_timeline.hpp"

#include <vector>

#include <catch2/catch.hpp>

using wardgate::daemon::RrTimeline;
using wardgate::dsp::RrInterval;

TEST_CASE("The first notification is anchored so its last beat ends on arrival", "[daemon]") {
    RrTimeline timeline(1.5);
    std::vector<RrInterval> out;
    const std::vector<double> rr{800.0, 1000.0};
    timeline.add(10.0, rr, out);
    REQUIRE(out.size() == 2);
    CHECK(out[0].endS == Approx(9.0));
    CHECK(out[1].endS == Approx(10.0));
    CHECK_FALSE(out[0].successive);
    CHECK(out[1].successive);
}

TEST_CASE("Beats continue by summing intervals while notifications keep up", "[daemon]") {
    RrTimeline timeline(1.5);
    std::vector<RrInterval> out;
    const std::vector<double> first{1000.0};
    const std::vector<double> second{1000.0};
    timeline.add(1.0, first, out);
    timeline.add(2.3, second, out);  // late by 0.3 s: within tolerance
    REQUIRE(out.size() == 2);
    CHECK(out[1].endS == Approx(2.0));
    CHECK(out[1].successive);
    CHECK(timeline.gapCount() == 0);
}

TEST_CASE("A stream that falls behind the arrival clock starts a new segment", "[daemon]") {
    RrTimeline timeline(1.5);
    std::vector<RrInterval> out;
    const std::vector<double> one{1000.0};
    timeline.add(1.0, one, out);
    timeline.add(5.0, one, out);  // three seconds of beats were lost
    REQUIRE(out.size() == 2);
    CHECK_FALSE(out[1].successive);
    CHECK(out[1].endS == Approx(5.0));
    CHECK(timeline.gapCount() == 1);
}

TEST_CASE("A dropped link makes the next interval non-successive", "[daemon]") {
    RrTimeline timeline(1.5);
    std::vector<RrInterval> out;
    const std::vector<double> one{1000.0};
    timeline.add(1.0, one, out);
    timeline.markInterrupted();
    timeline.add(2.0, one, out);
    REQUIRE(out.size() == 2);
    CHECK_FALSE(out[1].successive);
}

TEST_CASE("Notifications without intervals and zero intervals add no beats", "[daemon]") {
    RrTimeline timeline(1.5);
    std::vector<RrInterval> out;
    timeline.add(1.0, {}, out);
    const std::vector<double> zero{0.0};
    timeline.add(2.0, zero, out);
    CHECK(out.empty());
}

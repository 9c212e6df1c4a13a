// Lipponen & Tarvainen artifact detection on synthetic series with injected artifacts (known
// positions) and on real clean NN series from tests/data (false detections).
#include "dsp/rr_artifacts.hpp"

#include "reference_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

using wardgate::dsp::correctArtifacts;
using wardgate::dsp::detectArtifacts;
using wardgate::dsp::RrInterval;

namespace {

struct Lcg {
    std::uint32_t state = 2024U;
    double next() {  // uniform in [0, 1)
        state = state * 1664525U + 1013904223U;
        return static_cast<double>(state >> 8U) / 16777216.0;
    }
};

std::vector<double> cleanSeries(std::size_t n, Lcg& rng) {
    std::vector<double> rr;
    double drift = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const auto x = static_cast<double>(i);
        drift = 0.98 * drift + 4.0 * (rng.next() - 0.5);
        rr.push_back(820.0 + 35.0 * std::sin(x * 2.0 * 3.14159 / 4.5) +
                     25.0 * std::sin(x * 2.0 * 3.14159 / 30.0) + drift + 10.0 * (rng.next() - 0.5));
    }
    return rr;
}

enum class Kind { Ectopic, Missed, Extra };

struct Injected {
    std::vector<double> rr;
    std::vector<std::size_t> at;  // index of the artifact in rr
};

Injected inject(const std::vector<double>& clean, std::size_t spacing) {
    Injected out;
    for (std::size_t i = 0; i < clean.size(); ++i) {
        const std::size_t slot = i / spacing;
        const bool here = i % spacing == spacing / 2 && i + 1 < clean.size();
        if (!here) {
            out.rr.push_back(clean[i]);
            continue;
        }
        out.at.push_back(out.rr.size());
        switch (static_cast<Kind>(slot % 3)) {
            case Kind::Ectopic:  // premature beat with compensatory pause
                out.rr.push_back(clean[i] * 0.7);
                out.rr.push_back(clean[i + 1] + clean[i] * 0.3);
                ++i;
                break;
            case Kind::Missed:  // a beat not detected: two intervals merge
                out.rr.push_back(clean[i] + clean[i + 1]);
                ++i;
                break;
            case Kind::Extra:  // a spurious beat splits one interval
                out.rr.push_back(clean[i] * 0.4);
                out.rr.push_back(clean[i] * 0.6);
                break;
        }
    }
    return out;
}

std::vector<std::size_t> flagged(const wardgate::dsp::ArtifactReport& r) {
    std::vector<std::size_t> all;
    for (const auto* v : {&r.ectopic, &r.longShort, &r.missed, &r.extra}) {
        all.insert(all.end(), v->begin(), v->end());
    }
    return all;
}

}  // namespace

TEST_CASE(
    "Lipponen detection finds at least 99 percent of injected ectopic and missed and extra beats") {
    Lcg rng;
    const auto clean = cleanSeries(20000, rng);
    const auto inj = inject(clean, 40);
    const auto all = flagged(detectArtifacts(inj.rr));
    std::size_t found = 0;
    for (std::size_t a : inj.at) {
        const bool hit = std::any_of(all.begin(), all.end(),
                                     [a](std::size_t f) { return f + 1 >= a && f <= a + 1; });
        found += hit ? 1U : 0U;
    }
    const double rate = static_cast<double>(found) / static_cast<double>(inj.at.size());
    INFO("detected " << found << " of " << inj.at.size() << ", flagged " << all.size());
    CHECK(rate >= 0.99);
}

TEST_CASE("Lipponen detection flags under 0.5 percent of beats in clean series") {
    Lcg rng;
    const auto clean = cleanSeries(20000, rng);
    const auto synthetic = flagged(detectArtifacts(clean)).size();
    CHECK(static_cast<double>(synthetic) / 20000.0 < 0.005);

    // Real NN series: PhysioNet LTDB 15814 (only N-N intervals kept; gaps split the runs).
    const auto rr = wardgate::dsp::testing::loadRr("ltdb_15814_nn");
    const auto result = correctArtifacts(rr);
    const double share = static_cast<double>(result.found.total()) / static_cast<double>(rr.size());
    INFO("flagged " << result.found.total() << " of " << rr.size());
    CHECK(share < 0.005);
}

TEST_CASE("Correction restores the injected series close to the clean one") {
    Lcg rng;
    const auto clean = cleanSeries(4000, rng);
    const auto inj = inject(clean, 40);
    std::vector<RrInterval> stream;
    double t = 0.0;
    for (double v : inj.rr) {
        t += v / 1000.0;
        stream.push_back(RrInterval{t, v, true});
    }
    const auto fixed = correctArtifacts(stream);
    CHECK(fixed.nCorrected >= inj.at.size());
    // Missed and extra beats are undone: the beat count comes back to the clean one.
    CHECK(fixed.rr.size() == Approx(static_cast<double>(clean.size())).margin(3.0));
}

TEST_CASE("Implausible intervals are removed and leave a gap") {
    std::vector<RrInterval> rr;
    double t = 0.0;
    for (double v : {800.0, 810.0, 120.0, 805.0, 3000.0, 800.0, 790.0}) {
        t += v / 1000.0;
        rr.push_back(RrInterval{t, v, true});
    }
    const auto fixed = correctArtifacts(rr);
    CHECK(fixed.nImplausible == 2);
    REQUIRE(fixed.rr.size() == 5);
    CHECK_FALSE(fixed.rr[2].successive);  // 805 followed the removed 120
    CHECK_FALSE(fixed.rr[3].successive);  // 800 followed the removed 3000
}

namespace {

std::vector<RrInterval> stream(const std::vector<double>& rr) {
    std::vector<RrInterval> out;
    double t = 0.0;
    for (double v : rr) {
        t += v / 1000.0;
        out.push_back(RrInterval{t, v, true});
    }
    return out;
}

std::vector<double> steady(std::size_t n, double base) {
    std::vector<double> rr;
    for (std::size_t i = 0; i < n; ++i) {
        rr.push_back(base + 20.0 * std::sin(static_cast<double>(i) * 1.1) +
                     8.0 * std::cos(static_cast<double>(i) * 0.23));
    }
    return rr;
}

}  // namespace

TEST_CASE("Runs of 1 and 2 and 5 consecutive ectopic beats are all flagged and corrected") {
    for (std::size_t run : {std::size_t{1}, std::size_t{2}, std::size_t{5}}) {
        auto rr = steady(300, 850.0);
        for (std::size_t k = 0; k < run; ++k) {
            rr[150 + 2 * k] *= 0.65;                   // premature beat
            rr[151 + 2 * k] += rr[150 + 2 * k] * 0.5;  // compensatory pause
        }
        const auto fixed = correctArtifacts(stream(rr));
        INFO(run << " consecutive ectopic beats, " << fixed.found.total() << " flagged");
        CHECK(fixed.found.total() >= run);
        CHECK(fixed.found.total() <= 3 * run);
        // After correction no interval is left below 80 % of the rhythm around it.
        for (std::size_t i = 140; i < 170 && i < fixed.rr.size(); ++i) {
            CHECK(fixed.rr[i].rrMs > 0.8 * 850.0 - 30.0);
        }
    }
}

TEST_CASE("Artifacts at the very start and end of a stream are handled without overrun") {
    auto rr = steady(120, 800.0);
    rr[0] = 1600.0;  // leading missed beat
    rr[1] = 400.0;
    rr[118] = 420.0;  // trailing extra beats
    rr[119] = 380.0;
    const auto fixed = correctArtifacts(stream(rr));
    CHECK(fixed.rr.size() >= 110);
    for (const auto& r : fixed.rr) {
        CHECK(std::isfinite(r.rrMs));
        CHECK(r.rrMs >= 250.0);
    }
}

TEST_CASE("A sentinel 500 ms repeated against a 66 bpm rhythm is flagged") {
    auto rr = steady(300, 909.0);  // 66 bpm
    for (std::size_t i = 100; i < 300; i += 25) {
        rr[i] = 500.0;  // the sentinel value a band sends when it has no real interval
    }
    const auto fixed = correctArtifacts(stream(rr));
    std::size_t hits = 0;
    for (std::size_t i = 100; i < 300; i += 25) {
        const auto& all = fixed.found;
        for (const auto* v : {&all.ectopic, &all.longShort, &all.missed, &all.extra}) {
            hits += static_cast<std::size_t>(std::count_if(
                v->begin(), v->end(), [i](std::size_t f) { return f + 1 >= i && f <= i + 1; }));
        }
    }
    CHECK(hits >= 8);
}

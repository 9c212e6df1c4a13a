// Lipponen & Tarvainen artifact detection on synthetic series with injected artifacts (known
// positions) and on real clean NN series from tests/data (false detections).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include "dsp/rr_artifacts.hpp"
#include "reference_data.hpp"

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

TEST_CASE("Lipponen detection finds at least 99 percent of injected ectopic and missed and extra beats") {
    Lcg rng;
    const auto clean = cleanSeries(20000, rng);
    const auto inj = inject(clean, 40);
    const auto all = flagged(detectArtifacts(inj.rr));
    std::size_t found = 0;
    for (std::size_t a : inj.at) {
        const bool hit = std::any_of(all.begin(), all.end(), [a](std::size_t f) {
            return f + 1 >= a && f <= a + 1;
        });
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

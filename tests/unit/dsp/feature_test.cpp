#include "dsp/feature.hpp"

#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

using wardgate::dsp::Feature;
using wardgate::dsp::UndefinedReason;

TEST_CASE("A feature built from a finite value is defined and holds it") {
    const auto f = Feature::of(42.5);
    CHECK(f.defined());
    CHECK(f.value() == 42.5);
}

TEST_CASE("A feature built from NaN or infinity is undefined with no_variability and value 0") {
    for (double v :
         {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
          -std::numeric_limits<double>::infinity()}) {
        const auto f = Feature::of(v);
        CHECK_FALSE(f.defined());
        CHECK(f.value() == 0.0);
        CHECK(f.reason() == UndefinedReason::NoVariability);
    }
}

TEST_CASE("Undefined reasons have snake_case names") {
    CHECK(toString(UndefinedReason::TooFewIntervals) == "too_few_intervals");
    CHECK(toString(UndefinedReason::NoVariability) == "no_variability");
    CHECK(toString(UndefinedReason::MostlyGaps) == "mostly_gaps");
    CHECK(toString(UndefinedReason::TooFewSamples) == "too_few_samples");
    CHECK(toString(UndefinedReason::TooShort) == "too_short");
    CHECK(toString(UndefinedReason::QualityFlagged) == "quality_flagged");
    const auto undefined = Feature::undefined(UndefinedReason::TooShort);
    CHECK_FALSE(undefined.defined());
    CHECK(undefined.reason() == UndefinedReason::TooShort);
}

// Typed feature values: a number, or "undefined" with the reason why.
#pragma once

#include <cstdint>
#include <string_view>

namespace wardgate::dsp {

/// Why a feature has no value. The enumerator order is part of the storage schema: append only.
enum class UndefinedReason : std::uint8_t {
    TooFewIntervals,  ///< fewer RR intervals (or successive differences) than the feature needs
    NoVariability,    ///< the input is constant where the feature divides by its spread
    MostlyGaps,       ///< the window holds too little gap-free data
    TooFewSamples,    ///< fewer samples (EDA, ...) than the feature needs
    TooShort,         ///< the data span less time than the feature needs
    QualityFlagged,   ///< the data were rejected by a quality check (e.g. too many artifacts)
};

/// snake_case name of the reason, e.g. "too_few_intervals"; "unknown" for an out-of-range value.
[[nodiscard]] std::string_view toString(UndefinedReason reason) noexcept;

/// A feature value that is either a finite double or undefined with a reason. It is never NaN or
/// infinite, so it can be stored and serialised without checks. Trivially copyable, 16 bytes.
class Feature {
  public:
    /// Undefined with TooFewIntervals: the state of a feature nothing was computed for yet.
    Feature() noexcept = default;
    /// A defined value. A non-finite `v` (NaN, ±inf, which in DSP only comes from a division by a
    /// zero spread or an empty sum) becomes `undefined(UndefinedReason::NoVariability)`.
    [[nodiscard]] static Feature of(double v) noexcept;
    [[nodiscard]] static Feature undefined(UndefinedReason r) noexcept;

    [[nodiscard]] bool defined() const noexcept { return defined_; }
    /// The value; 0 when undefined.
    [[nodiscard]] double value() const noexcept { return value_; }
    /// The reason; meaningful only when !defined() (then it is the reason given to undefined()).
    [[nodiscard]] UndefinedReason reason() const noexcept { return reason_; }

    friend bool operator==(const Feature&, const Feature&) = default;

  private:
    Feature(double v, bool isDefined, UndefinedReason r) noexcept
        : value_(v), defined_(isDefined), reason_(r) {}

    double value_ = 0.0;
    bool defined_ = false;
    UndefinedReason reason_ = UndefinedReason::TooFewIntervals;
};

/// Window grid shared by the streaming windowers: window k covers
/// (start0 + k*hopS, start0 + k*hopS + lengthS]. Both must be finite and > 0.
struct WindowSpec {
    double lengthS = 300.0;
    double hopS = 60.0;
};

}  // namespace wardgate::dsp

// The full HRV feature set of one window or record, in two documented profiles.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "dsp/feature.hpp"
#include "dsp/rr_interval.hpp"

namespace wardgate::dsp {

/// Which definitions to use (docs/hrv.md has both in full).
/// - Taskforce: 1996 Task Force / clinical convention; the live gateway's default.
/// - Reference: reproduces NeuroKit2 0.2.12 (quirks included) so that values can be checked
///   against tests/data/reference to 1e-9.
enum class HrvProfile : std::uint8_t { Taskforce, Reference };

[[nodiscard]] std::string_view toString(HrvProfile profile) noexcept;
/// "taskforce" or "reference"; nullopt otherwise.
[[nodiscard]] std::optional<HrvProfile> parseHrvProfile(std::string_view name) noexcept;

/// Every feature, in output order. Names (featureName) are those of the reference files
/// without the "HRV_" prefix; band powers are in ms² (the reference's *_ABS columns) and the
/// Lomb-Scargle ones carry the suffix _LOMB. Append only: the order is a storage schema.
enum class HrvFeatureId : std::uint8_t {
    // time domain
    MeanNN,
    SDNN,
    SDANN1,
    SDNNI1,
    SDANN2,
    SDNNI2,
    SDANN5,
    SDNNI5,
    RMSSD,
    SDSD,
    CVNN,
    CVSD,
    MedianNN,
    MadNN,
    MCVNN,
    IQRNN,
    SDRMSSD,
    Prc20NN,
    Prc80NN,
    pNN50,
    pNN20,
    MinNN,
    MaxNN,
    HTI,
    TINN,
    // frequency domain, Welch
    ULF,
    VLF,
    LF,
    HF,
    VHF,
    TP,
    LFHF,
    LFn,
    HFn,
    LnHF,
    // frequency domain, Lomb-Scargle
    ULF_LOMB,
    VLF_LOMB,
    LF_LOMB,
    HF_LOMB,
    VHF_LOMB,
    TP_LOMB,
    LFHF_LOMB,
    LFn_LOMB,
    HFn_LOMB,
    LnHF_LOMB,
    // Poincaré
    SD1,
    SD2,
    SD1SD2,
    S,
    CSI,
    CVI,
    CSI_Modified,
    // fragmentation (Costa 2017)
    PIP,
    IALS,
    PSS,
    PAS,
    // asymmetry (Guzik, Porta, Piskorski)
    GI,
    SI,
    AI,
    PI,
    C1d,
    C1a,
    SD1d,
    SD1a,
    C2d,
    C2a,
    SD2d,
    SD2a,
    Cd,
    Ca,
    SDNNd,
    SDNNa,
    // complexity
    DFA_alpha1,
    DFA_alpha2,
    ApEn,
    SampEn,
};
inline constexpr std::size_t kHrvFeatureCount = static_cast<std::size_t>(HrvFeatureId::SampEn) + 1;

[[nodiscard]] std::string_view featureName(HrvFeatureId id) noexcept;
/// Inverse of featureName; nullopt for an unknown name.
[[nodiscard]] std::optional<HrvFeatureId> featureIdFromName(std::string_view name) noexcept;

/// Feature groups; computeHrv skips the groups not asked for (they stay undefined).
struct HrvDomains {
    bool time = true;
    bool frequency = true;
    bool lomb = true;        ///< O(samples x frequencies): keep off for long records
    bool nonlinear = true;   ///< Poincaré, fragmentation, asymmetry
    bool complexity = true;  ///< SampEn, ApEn (O(n²)), DFA
};

struct HrvOptions {
    HrvProfile profile = HrvProfile::Taskforce;
    HrvDomains domains;
};

/// One value (or undefined) per HrvFeatureId.
class HrvFeatureSet {
  public:
    HrvFeatureSet() noexcept;
    [[nodiscard]] const Feature& operator[](HrvFeatureId id) const noexcept {
        return values_[static_cast<std::size_t>(id)];
    }
    Feature& operator[](HrvFeatureId id) noexcept { return values_[static_cast<std::size_t>(id)]; }

  private:
    std::array<Feature, kHrvFeatureCount> values_;
};

/// Computes the HRV features of `rr` (in stream order, endS non-decreasing, rrMs > 0; the
/// caller's successive flags mark gaps, rr[0].successive is ignored). Never throws for bad
/// data, never NaN: a feature that cannot be computed is undefined with a reason.
/// Cost: O(n log n) without complexity and Lomb; SampEn/ApEn are O(n²) (use windows).
[[nodiscard]] HrvFeatureSet computeHrv(std::span<const RrInterval> rr, const HrvOptions& options);

}  // namespace wardgate::dsp

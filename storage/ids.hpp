#pragma once
// Identities and consented signal sets.
//
// ParticipantId is 16 random bytes, never derived from a name, staff number
// or band address (DESIGN.md privacy model; SECURITY.md 3.3). Its text form is
// "p-" followed by 32 lowercase hex digits.

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace wardgate::storage {

class ParticipantId {
  public:
    static constexpr std::size_t kBytes = 16;

    // A fresh id from the OS CSPRNG.
    [[nodiscard]] static ParticipantId random();
    // Parses "p-" + 32 lowercase hex digits; nullopt for anything else.
    [[nodiscard]] static std::optional<ParticipantId> parse(std::string_view text);
    // From the 16 stored bytes; nullopt on any other length.
    [[nodiscard]] static std::optional<ParticipantId> fromBytes(std::span<const std::uint8_t> b);

    [[nodiscard]] std::string toString() const;
    [[nodiscard]] std::span<const std::uint8_t, kBytes> bytes() const noexcept { return bytes_; }

    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads defaulted <=>
    friend auto operator<=>(const ParticipantId&, const ParticipantId&) = default;

  private:
    ParticipantId() = default;
    std::array<std::uint8_t, kBytes> bytes_{};
};

enum class Signal : std::uint8_t { Hrv = 1, Eda = 2, Activity = 4 };

// "hrv", "eda", "activity".
[[nodiscard]] std::string_view toString(Signal signal) noexcept;
[[nodiscard]] std::optional<Signal> parseSignal(std::string_view text) noexcept;
// From the stored numeric value; nullopt unless exactly one known bit.
[[nodiscard]] std::optional<Signal> signalFromValue(std::uint8_t value) noexcept;

class SignalSet {
  public:
    constexpr SignalSet() noexcept = default;
    constexpr SignalSet(std::initializer_list<Signal> signals) noexcept {
        for (const Signal s : signals) {
            insert(s);
        }
    }

    // Comma-separated names, spaces around names ignored, e.g. "hrv, eda".
    // "" gives the empty set; an unknown name gives nullopt.
    [[nodiscard]] static std::optional<SignalSet> parse(std::string_view text);
    // From the stored bitmask; nullopt if it has unknown bits.
    [[nodiscard]] static std::optional<SignalSet> fromBits(std::uint8_t bits) noexcept;

    constexpr void insert(Signal s) noexcept {
        bits_ = static_cast<std::uint8_t>(bits_ | static_cast<std::uint8_t>(s));
    }
    [[nodiscard]] constexpr bool contains(Signal s) const noexcept {
        return (bits_ & static_cast<std::uint8_t>(s)) != 0;
    }
    [[nodiscard]] constexpr bool empty() const noexcept { return bits_ == 0; }
    [[nodiscard]] constexpr std::uint8_t bits() const noexcept { return bits_; }
    // Names in the fixed order hrv, eda, activity, comma-separated; "" if empty.
    [[nodiscard]] std::string toString() const;

    friend constexpr bool operator==(SignalSet, SignalSet) noexcept = default;

  private:
    std::uint8_t bits_ = 0;
};

}  // namespace wardgate::storage

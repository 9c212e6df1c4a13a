#pragma once
// The result type shared by the characteristic decoders: a decoded value or a
// typed error, never an exception. Decoders run on the D-Bus thread for every
// notification, so a malformed packet must be cheap to reject and count.

#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <utility>
#include <variant>

namespace wardgate::ble {

enum class DecodeError : std::uint8_t {
    Empty,          // zero-length payload
    Truncated,      // shorter than its own header or flags require
    UnknownFormat,  // a format byte or kind this build does not know
    BadValue,       // well-formed but out of range (e.g. battery 101 %, wrong batch size)
};

// Stable, lower-case, hyphenated names ("truncated"), suitable for log fields
// and metric labels.
[[nodiscard]] std::string_view toString(DecodeError error) noexcept;

// A decoded T or a DecodeError. Constructs implicitly from either, so a
// decoder can `return value;` or `return DecodeError::Truncated;`.
// value() requires ok() and error() requires !ok(); a violated precondition
// aborts the program (the accessors are noexcept), it never returns garbage.
template <class T>
class [[nodiscard]] DecodeResult {
  public:
    // NOLINTNEXTLINE(google-explicit-constructor): implicit by design, see above
    DecodeResult(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    // NOLINTNEXTLINE(google-explicit-constructor): implicit by design, see above
    DecodeResult(DecodeError error) : state_(std::in_place_index<1>, error) {}

    [[nodiscard]] bool ok() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    [[nodiscard]] const T& value() const& noexcept { return *checked(std::get_if<0>(&state_)); }
    [[nodiscard]] T& value() & noexcept { return *checked(std::get_if<0>(&state_)); }
    [[nodiscard]] T&& value() && noexcept { return std::move(*checked(std::get_if<0>(&state_))); }

    [[nodiscard]] DecodeError error() const noexcept { return *checked(std::get_if<1>(&state_)); }

  private:
    template <class P>
    static P* checked(P* alternative) noexcept {
        if (alternative == nullptr) {
            std::abort();  // a violated precondition, not a decode failure
        }
        return alternative;
    }

    std::variant<T, DecodeError> state_;
};

}  // namespace wardgate::ble

#pragma once
// The identity of a band: its Bluetooth device address in canonical text form
// "AA:BB:CC:DD:EE:FF" (upper-case hex, colon-separated). Consent, pairing and
// subscriptions are keyed on this, never on a BlueZ object path or an ATT
// handle (BLE.md, pitfalls P6 and P7).
//
// Threading: a value type; immutable after construction.

#include <compare>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace wardgate::ble {

class BandAddress {
  public:
    // Accepts six two-digit hex groups separated by ':' (or '_', as in BlueZ
    // object path segments), in either case. Anything else gives nullopt.
    [[nodiscard]] static std::optional<BandAddress> parse(std::string_view text);

    // Canonical form, upper-case with ':' separators.
    [[nodiscard]] const std::string& str() const noexcept { return text_; }

    friend bool operator==(const BandAddress&, const BandAddress&) = default;
    friend auto operator<=>(const BandAddress&, const BandAddress&) = default;

  private:
    explicit BandAddress(std::string canonical) : text_(std::move(canonical)) {}

    std::string text_;
};

}  // namespace wardgate::ble

template <>
struct std::hash<wardgate::ble::BandAddress> {
    std::size_t operator()(const wardgate::ble::BandAddress& address) const noexcept {
        return std::hash<std::string>{}(address.str());
    }
};

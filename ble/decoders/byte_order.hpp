#pragma once
// Little-endian field access for the decoders (every GATT format here is LE).
// Internal to ble/decoders; callers check the length before reading.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace wardgate::ble::detail {

[[nodiscard]] inline std::uint16_t readU16Le(std::span<const std::uint8_t> bytes,
                                             std::size_t at) noexcept {
    return static_cast<std::uint16_t>(bytes[at] | (bytes[at + 1] << 8U));
}

[[nodiscard]] inline std::uint32_t readU32Le(std::span<const std::uint8_t> bytes,
                                             std::size_t at) noexcept {
    return static_cast<std::uint32_t>(bytes[at]) |
           (static_cast<std::uint32_t>(bytes[at + 1]) << 8U) |
           (static_cast<std::uint32_t>(bytes[at + 2]) << 16U) |
           (static_cast<std::uint32_t>(bytes[at + 3]) << 24U);
}

inline void appendU16Le(std::vector<std::uint8_t>& out, std::uint16_t value) {
    out.push_back(static_cast<std::uint8_t>(value & 0xFFU));
    out.push_back(static_cast<std::uint8_t>(value >> 8U));
}

inline void appendU32Le(std::vector<std::uint8_t>& out, std::uint32_t value) {
    for (unsigned shift = 0; shift < 32; shift += 8) {
        out.push_back(static_cast<std::uint8_t>((value >> shift) & 0xFFU));
    }
}

}  // namespace wardgate::ble::detail

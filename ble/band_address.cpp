#include "ble/band_address.hpp"

#include <cctype>

namespace wardgate::ble {

namespace {

constexpr std::size_t kGroups = 6;
constexpr std::size_t kCanonicalLength = kGroups * 3 - 1;

bool isHex(char c) noexcept {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

}  // namespace

std::optional<BandAddress> BandAddress::parse(std::string_view text) {
    if (text.size() != kCanonicalLength) {
        return std::nullopt;
    }
    std::string canonical(text);
    for (std::size_t i = 0; i < canonical.size(); ++i) {
        char& c = canonical[i];
        if (i % 3 == 2) {
            if (c != ':' && c != '_') {
                return std::nullopt;
            }
            c = ':';
        } else if (isHex(c)) {
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        } else {
            return std::nullopt;
        }
    }
    return BandAddress(std::move(canonical));
}

}  // namespace wardgate::ble

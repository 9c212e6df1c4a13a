#include "storage/ids.hpp"

#include <sodium.h>

#include "storage/secret_bytes.hpp"

namespace wardgate::storage {
namespace {

constexpr std::string_view kIdPrefix = "p-";
constexpr std::array kAllSignals{Signal::Hrv, Signal::Eda, Signal::Activity};
constexpr std::uint8_t kKnownSignalBits = 0x07;

int hexValue(char c) noexcept {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

}  // namespace

ParticipantId ParticipantId::random() {
    ensureSodium();
    ParticipantId id;
    randombytes_buf(id.bytes_.data(), id.bytes_.size());
    return id;
}

std::optional<ParticipantId> ParticipantId::parse(std::string_view text) {
    if (text.size() != kIdPrefix.size() + 2 * kBytes || !text.starts_with(kIdPrefix)) {
        return std::nullopt;
    }
    text.remove_prefix(kIdPrefix.size());
    ParticipantId id;
    for (std::size_t i = 0; i < kBytes; ++i) {
        const int hi = hexValue(text[2 * i]);
        const int lo = hexValue(text[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return std::nullopt;
        }
        id.bytes_[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    return id;
}

std::optional<ParticipantId> ParticipantId::fromBytes(std::span<const std::uint8_t> b) {
    if (b.size() != kBytes) {
        return std::nullopt;
    }
    ParticipantId id;
    std::copy(b.begin(), b.end(), id.bytes_.begin());
    return id;
}

std::string ParticipantId::toString() const {
    static constexpr std::string_view kHex = "0123456789abcdef";
    std::string out(kIdPrefix);
    for (const std::uint8_t byte : bytes_) {
        out += kHex[byte >> 4];
        out += kHex[byte & 0x0f];
    }
    return out;
}

std::string_view toString(Signal signal) noexcept {
    switch (signal) {
        case Signal::Hrv:
            return "hrv";
        case Signal::Eda:
            return "eda";
        case Signal::Activity:
            return "activity";
    }
    return "unknown";
}

std::optional<Signal> parseSignal(std::string_view text) noexcept {
    for (const Signal s : kAllSignals) {
        if (toString(s) == text) {
            return s;
        }
    }
    return std::nullopt;
}

std::optional<Signal> signalFromValue(std::uint8_t value) noexcept {
    for (const Signal s : kAllSignals) {
        if (static_cast<std::uint8_t>(s) == value) {
            return s;
        }
    }
    return std::nullopt;
}

std::optional<SignalSet> SignalSet::parse(std::string_view text) {
    SignalSet set;
    if (trim(text).empty()) {
        return set;
    }
    while (true) {
        const auto comma = text.find(',');
        const auto signal = parseSignal(trim(text.substr(0, comma)));
        if (!signal) {
            return std::nullopt;
        }
        set.insert(*signal);
        if (comma == std::string_view::npos) {
            return set;
        }
        text.remove_prefix(comma + 1);
    }
}

std::optional<SignalSet> SignalSet::fromBits(std::uint8_t bits) noexcept {
    if ((bits & ~kKnownSignalBits) != 0) {
        return std::nullopt;
    }
    SignalSet set;
    set.bits_ = bits;
    return set;
}

std::string SignalSet::toString() const {
    std::string out;
    for (const Signal s : kAllSignals) {
        if (contains(s)) {
            if (!out.empty()) {
                out += ',';
            }
            out += storage::toString(s);
        }
    }
    return out;
}

}  // namespace wardgate::storage

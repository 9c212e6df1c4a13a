#include "ble/decoders/decode_result.hpp"

namespace wardgate::ble {

std::string_view toString(DecodeError error) noexcept {
    switch (error) {
        case DecodeError::Empty:
            return "empty";
        case DecodeError::Truncated:
            return "truncated";
        case DecodeError::UnknownFormat:
            return "unknown-format";
        case DecodeError::BadValue:
            return "bad-value";
    }
    return "unknown";
}

}  // namespace wardgate::ble

// The control socket's protocol, shared by wardgated and the wardgate CLI.
//
// One Unix stream socket; each request is one JSON object on one line, each
// answer likewise: {"ok": true, ...} or {"ok": false, "error": "one line"}.
// A client may send several requests on one connection, one at a time.
// Byte strings (keys, ciphertext) travel as standard base64. See
// docs/control-protocol.md for every command and its fields.
#pragma once

#include <cstddef>
#include <string_view>

namespace wardgate::control {

inline constexpr std::string_view kDefaultSocketPath = "/run/wardgate/control.sock";
inline constexpr std::string_view kSocketEnvironment = "WARDGATE_SOCKET";
inline constexpr int kProtocolVersion = 1;
// A request longer than this is refused unread: nothing legitimate is close.
inline constexpr std::size_t kMaxRequestBytes = 1U << 20U;
// The consent text a worker agrees to when pairing; stored with the consent.
inline constexpr std::string_view kConsentVersion = "wardgate-consent-1";

}  // namespace wardgate::control

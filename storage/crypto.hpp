#pragma once
// libsodium wrappers for the vault's key hierarchy (DESIGN.md "Key hierarchy").
//
// - Participant, provider and study keys are X25519 key pairs (crypto_box).
// - A participant's secret key may be kept on the gateway only wrapped: a key
//   derived from their passphrase with Argon2id (crypto_pwhash, ALG_ARGON2ID13)
//   closes it in an XSalsa20-Poly1305 secretbox.
// - Epoch keys travel only as sealed boxes (crypto_box_seal) to their
//   recipients: the gateway can seal but cannot open.
//
// Every function calls ensureSodium() itself. Secrets are returned as
// SecretBytes; nothing here logs. Functions are reentrant (libsodium is).

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "storage/secret_bytes.hpp"

namespace wardgate::storage {

inline constexpr std::size_t kPublicKeyBytes = 32;     // crypto_box_PUBLICKEYBYTES
inline constexpr std::size_t kSecretKeyBytes = 32;     // crypto_box_SECRETKEYBYTES
inline constexpr std::size_t kSealOverheadBytes = 48;  // crypto_box_SEALBYTES

struct PublicKey {
    std::array<std::uint8_t, kPublicKeyBytes> bytes{};
    friend bool operator==(const PublicKey&, const PublicKey&) = default;
};

struct KeyPair {
    PublicKey publicKey{};
    SecretBytes secretKey{};  // kSecretKeyBytes
};

// A fresh X25519 key pair from the OS CSPRNG.
[[nodiscard]] KeyPair generateKeyPair();

// Argon2id cost. standard() is opslimit 3, memlimit 64 MiB, one lane (libsodium
// has no parallelism). Measured: 0.33-0.39 s on the x86-64 build VM (Xeon,
// idle; libsodium picks its x86 SIMD code). 1.0.18 has no NEON Argon2, so a Raspberry
// Pi 4 (Cortex-A72, 1.5 GHz) runs the portable code with slower memory; we
// expect about 1 s there, but have not measured it yet (TODO(#6): measure on
// the target and adjust; the cost is stored with each wrapped key, so a
// change applies to new enrolments without breaking old ones). 64 MiB leaves
// room beside the daemon on a 1 GiB Pi. fastForTests() is libsodium's
// minimum and must never protect a real key.
struct KdfCost {
    std::uint64_t opsLimit = 3;
    std::uint64_t memLimitBytes = 64ULL * 1024 * 1024;
    [[nodiscard]] static KdfCost standard() noexcept { return {}; }
    [[nodiscard]] static KdfCost fastForTests() noexcept;
};

// A secret key closed under a passphrase. All fields are public (safe to store
// and to send to the participant's client); only the passphrase opens it.
struct WrappedSecretKey {
    std::array<std::uint8_t, 16> salt{};  // crypto_pwhash_SALTBYTES
    std::uint64_t opsLimit = 0;
    std::uint64_t memLimitBytes = 0;
    std::array<std::uint8_t, 24> nonce{};    // crypto_secretbox_NONCEBYTES
    std::vector<std::uint8_t> ciphertext{};  // secretbox of the 32-byte key (48 bytes)
    friend bool operator==(const WrappedSecretKey&, const WrappedSecretKey&) = default;
};

// Wraps `sk` under `passphrase`. Throws std::runtime_error if Argon2id cannot
// get its memory. Blocks for the KDF time (about 1 s on a Pi 4 at standard()):
// do not call it on the event loop.
[[nodiscard]] WrappedSecretKey wrapSecretKey(const SecretBytes& sk, std::string_view passphrase,
                                             KdfCost cost = KdfCost::standard());

// Opens a wrapped key. nullopt on a wrong passphrase, a tampered blob, or cost
// parameters outside the accepted range (opslimit <= 16, memlimit <= 1 GiB:
// a hostile blob must not make us allocate unbounded memory). Blocks like wrap.
[[nodiscard]] std::optional<SecretBytes> unwrapSecretKey(const WrappedSecretKey& wrapped,
                                                         std::string_view passphrase);

// True if unwrapSecretKey could ever accept `wrapped`: a 32-byte key's
// ciphertext and cost parameters within the accepted range. (It cannot tell
// whether the passphrase is right.)
[[nodiscard]] bool isWellFormed(const WrappedSecretKey& wrapped) noexcept;

// True if boxes can be sealed to `key` (rejects the all-zero and other
// low-order X25519 points, for which libsodium refuses the key exchange).
[[nodiscard]] bool isUsablePublicKey(const PublicKey& key);

// crypto_box_seal: anonymous encryption to `recipient`; the sender cannot open it.
// Output is message.size() + kSealOverheadBytes bytes.
[[nodiscard]] std::vector<std::uint8_t> sealTo(const PublicKey& recipient,
                                               std::span<const std::uint8_t> message);

// Opens a sealed box with the recipient's key pair; nullopt if it does not
// authenticate (wrong recipient, tampered, too short).
[[nodiscard]] std::optional<SecretBytes> openSealed(const PublicKey& pk, const SecretBytes& sk,
                                                    std::span<const std::uint8_t> sealed);

// Standard base64 with padding (RFC 4648 section 4). fromBase64 returns
// nullopt on any invalid character, bad padding or trailing garbage.
[[nodiscard]] std::string toBase64(std::span<const std::uint8_t> bytes);
[[nodiscard]] std::optional<std::vector<std::uint8_t>> fromBase64(std::string_view text);

// JSON forms for the control socket. PublicKey is a base64 string;
// WrappedSecretKey is {"kdf":"argon2id13","salt":b64,"opsLimit":n,
// "memLimitBytes":n,"nonce":b64,"ciphertext":b64}. from_json throws
// nlohmann::json::exception on wrong types and std::invalid_argument on bad
// base64 or wrong lengths. (The snake_case names are what nlohmann::json's
// ADL lookup requires.)
// NOLINTBEGIN(readability-identifier-naming)
void to_json(nlohmann::json& j, const PublicKey& key);
void from_json(const nlohmann::json& j, PublicKey& key);
void to_json(nlohmann::json& j, const WrappedSecretKey& key);
void from_json(const nlohmann::json& j, WrappedSecretKey& key);
// NOLINTEND(readability-identifier-naming)

// Helpers shared with the other JSON forms of this library.
[[nodiscard]] std::vector<std::uint8_t> base64Field(const nlohmann::json& j, const char* name);

}  // namespace wardgate::storage

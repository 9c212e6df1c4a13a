#pragma once
// The sealed-row format, shared by the writer (Vault, on the gateway) and the
// reader (the participant's client, which never touches the database).
//
// Row:       XChaCha20-Poly1305-IETF(key = epoch key, nonce = 24 random bytes,
//                                    ad = rowAssociatedData(...), plaintext)
// AD layout: "wardgate-row" (12 ASCII bytes) | schemaVersion (u32 LE) |
//            participant id (16) | signal (u8) | windowStartMs (i64 LE) |
//            windowEndMs (i64 LE) | epoch key id (16)
//            so a row moved to another participant, signal or window, or
//            relabelled with another key or schema version, fails to open.
// Epoch key: crypto_box_seal to each recipient of the 64-byte envelope
//            key (32) | key id (16) | participant id (16); the reader checks the
//            id fields, so a sealed key cannot be passed off as another one.
//
// All byte fields are public: without a recipient's secret key nothing here
// opens (SECURITY.md 2.1: the gateway can write but cannot read).

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "storage/crypto.hpp"
#include "storage/ids.hpp"

namespace wardgate::storage {

struct EpochKeyId {
    static constexpr std::size_t kBytes = 16;
    std::array<std::uint8_t, kBytes> bytes{};

    [[nodiscard]] static EpochKeyId random();
    [[nodiscard]] static std::optional<EpochKeyId> fromBytes(std::span<const std::uint8_t> b);
    [[nodiscard]] std::string toHex() const;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads defaulted <=>
    friend auto operator<=>(const EpochKeyId&, const EpochKeyId&) = default;
};

struct SealedEpochKey {
    EpochKeyId keyId{};
    std::int64_t epoch = 0;              // floor(windowStartMs / epoch length)
    std::vector<std::uint8_t> sealed{};  // crypto_box_seal of the envelope (112 bytes)
};

struct SealedRow {
    Signal signal = Signal::Hrv;
    std::int64_t windowStartMs = 0;  // Unix ms, inclusive
    std::int64_t windowEndMs = 0;    // Unix ms, exclusive
    EpochKeyId keyId{};
    std::uint32_t schemaVersion = 0;  // vault schema version when sealed; bound in the AD
    std::array<std::uint8_t, 24> nonce{};
    std::vector<std::uint8_t> ciphertext{};  // plaintext + 16-byte tag
};

// Everything a participant's client needs to read its own rows.
struct SealedRecords {
    ParticipantId participant;
    PublicKey participantKey{};
    WrappedSecretKey wrappedKey{};
    std::vector<SealedEpochKey> epochKeys{};  // only keys addressed to the participant
    std::vector<SealedRow> rows{};            // ordered by windowStartMs, then signal
};

struct OpenedRow {
    Signal signal = Signal::Hrv;
    std::int64_t windowStartMs = 0;
    std::int64_t windowEndMs = 0;
    std::vector<std::uint8_t> plaintext{};
};

// Thrown by openRecords when anything fails to authenticate. The message names
// the epoch key id or the row's signal and window start, never contents.
class RecordAuthenticationError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Opens every row with the participant's key pair, in the order given.
// All or nothing: throws RecordAuthenticationError on the first epoch key or
// row that does not authenticate (a tampered vault should be loud, not
// quietly shorter), or if `pk` is not records.participantKey.
[[nodiscard]] std::vector<OpenedRow> openRecords(const SealedRecords& records, const PublicKey& pk,
                                                 const SecretBytes& sk);

// ---- writer side (used by Vault) ---------------------------------------------

[[nodiscard]] std::vector<std::uint8_t> rowAssociatedData(const ParticipantId& participant,
                                                          const SealedRow& row);
// Fills row.nonce and row.ciphertext; the other fields must already be set.
void sealRow(SealedRow& row, const ParticipantId& participant, const SecretBytes& epochKey,
             std::span<const std::uint8_t> plaintext);
[[nodiscard]] std::vector<std::uint8_t> sealEpochKey(const PublicKey& recipient,
                                                     const SecretBytes& epochKey,
                                                     const EpochKeyId& keyId,
                                                     const ParticipantId& participant);
inline constexpr std::size_t kEpochKeyBytes = 32;

// JSON form for the control socket (bytes in base64, ids as text):
// {"participant":"p-...","participantKey":b64,"wrappedKey":{...},
//  "epochKeys":[{"keyId":hex,"epoch":n,"sealed":b64}],
//  "rows":[{"signal":"hrv","windowStartMs":n,"windowEndMs":n,"keyId":hex,
//           "schemaVersion":n,"nonce":b64,"ciphertext":b64}]}
// Parsing throws nlohmann::json::exception or std::invalid_argument.
[[nodiscard]] nlohmann::json toJson(const SealedRecords& records);
[[nodiscard]] SealedRecords sealedRecordsFromJson(const nlohmann::json& j);

}  // namespace wardgate::storage

NLOHMANN_JSON_NAMESPACE_BEGIN
// Lets callers write `json j = records;` and `j.get<SealedRecords>()`
// (SealedRecords has no default constructor because ParticipantId has none).
template <>
struct adl_serializer<wardgate::storage::SealedRecords, void> {
    // NOLINTBEGIN(readability-identifier-naming): names fixed by nlohmann::json
    static void to_json(json& j, const wardgate::storage::SealedRecords& records);
    static wardgate::storage::SealedRecords from_json(const json& j);
    // NOLINTEND(readability-identifier-naming)
};
NLOHMANN_JSON_NAMESPACE_END

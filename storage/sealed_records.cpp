#include "storage/sealed_records.hpp"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>
#include <sodium.h>

namespace wardgate::storage {
namespace {

static_assert(sizeof(SealedRow::nonce) == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kEpochKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);

constexpr std::string_view kRowDomain = "wardgate-row";
constexpr std::size_t kEnvelopeBytes = kEpochKeyBytes + EpochKeyId::kBytes + ParticipantId::kBytes;

template <typename T>
void appendLittleEndian(std::vector<std::uint8_t>& out, T value) {
    auto bits = static_cast<std::make_unsigned_t<T>>(value);
    for (std::size_t i = 0; i < sizeof(T); ++i) {
        out.push_back(static_cast<std::uint8_t>(bits & 0xffU));
        bits = static_cast<decltype(bits)>(bits >> 8U);
    }
}

std::optional<std::vector<std::uint8_t>> parseHex(std::string_view text) {
    if (text.size() % 2 != 0) {
        return std::nullopt;
    }
    std::vector<std::uint8_t> out(text.size() / 2);
    std::size_t length = 0;
    if (sodium_hex2bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length,
                       nullptr) != 0 ||
        length != out.size()) {
        return std::nullopt;
    }
    return out;
}

std::string rowLabel(const SealedRow& row) {
    return std::string(toString(row.signal)) + " window starting at " +
           std::to_string(row.windowStartMs) + " ms";
}

SecretBytes openEpochKey(const SealedEpochKey& sealedKey, const ParticipantId& participant,
                         const PublicKey& pk, const SecretBytes& sk) {
    auto envelope = openSealed(pk, sk, sealedKey.sealed);
    const auto fail = [&] {
        return RecordAuthenticationError("epoch key " + sealedKey.keyId.toHex() +
                                         " does not open with this key pair");
    };
    if (!envelope || envelope->size() != kEnvelopeBytes) {
        throw fail();
    }
    const auto bytes = envelope->bytes();
    const auto idPart = bytes.subspan(kEpochKeyBytes, EpochKeyId::kBytes);
    const auto ownerPart = bytes.subspan(kEpochKeyBytes + EpochKeyId::kBytes);
    if (!std::equal(idPart.begin(), idPart.end(), sealedKey.keyId.bytes.begin()) ||
        !std::equal(ownerPart.begin(), ownerPart.end(), participant.bytes().begin())) {
        throw fail();
    }
    return SecretBytes::copyOf(bytes.first(kEpochKeyBytes));
}

std::vector<std::uint8_t> openRow(const SealedRow& row, const ParticipantId& participant,
                                  const SecretBytes& key) {
    const auto ad = rowAssociatedData(participant, row);
    if (row.ciphertext.size() < crypto_aead_xchacha20poly1305_ietf_ABYTES) {
        throw RecordAuthenticationError(rowLabel(row) + " is truncated");
    }
    std::vector<std::uint8_t> plain(row.ciphertext.size() -
                                    crypto_aead_xchacha20poly1305_ietf_ABYTES);
    unsigned long long plainLength = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            plain.data(), &plainLength, nullptr, row.ciphertext.data(), row.ciphertext.size(),
            ad.data(), ad.size(), row.nonce.data(), key.data()) != 0) {
        throw RecordAuthenticationError(rowLabel(row) + " fails authentication");
    }
    plain.resize(static_cast<std::size_t>(plainLength));
    return plain;
}

}  // namespace

EpochKeyId EpochKeyId::random() {
    ensureSodium();
    EpochKeyId id;
    randombytes_buf(id.bytes.data(), id.bytes.size());
    return id;
}

std::optional<EpochKeyId> EpochKeyId::fromBytes(std::span<const std::uint8_t> b) {
    if (b.size() != kBytes) {
        return std::nullopt;
    }
    EpochKeyId id;
    std::copy(b.begin(), b.end(), id.bytes.begin());
    return id;
}

std::string EpochKeyId::toHex() const {
    std::string out(2 * kBytes + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
    out.pop_back();
    return out;
}

std::vector<std::uint8_t> rowAssociatedData(const ParticipantId& participant,
                                            const SealedRow& row) {
    std::vector<std::uint8_t> ad(kRowDomain.begin(), kRowDomain.end());
    appendLittleEndian(ad, row.schemaVersion);
    ad.insert(ad.end(), participant.bytes().begin(), participant.bytes().end());
    ad.push_back(static_cast<std::uint8_t>(row.signal));
    appendLittleEndian(ad, row.windowStartMs);
    appendLittleEndian(ad, row.windowEndMs);
    ad.insert(ad.end(), row.keyId.bytes.begin(), row.keyId.bytes.end());
    return ad;
}

void sealRow(SealedRow& row, const ParticipantId& participant, const SecretBytes& epochKey,
             std::span<const std::uint8_t> plaintext) {
    ensureSodium();
    if (epochKey.size() != kEpochKeyBytes) {
        throw std::invalid_argument("epoch key must be 32 bytes");
    }
    randombytes_buf(row.nonce.data(), row.nonce.size());
    const auto ad = rowAssociatedData(participant, row);
    row.ciphertext.resize(plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    unsigned long long cipherLength = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        row.ciphertext.data(), &cipherLength, plaintext.data(), plaintext.size(), ad.data(),
        ad.size(), nullptr, row.nonce.data(), epochKey.data());
    row.ciphertext.resize(static_cast<std::size_t>(cipherLength));
}

std::vector<std::uint8_t> sealEpochKey(const PublicKey& recipient, const SecretBytes& epochKey,
                                       const EpochKeyId& keyId, const ParticipantId& participant) {
    if (epochKey.size() != kEpochKeyBytes) {
        throw std::invalid_argument("epoch key must be 32 bytes");
    }
    SecretBytes envelope(kEnvelopeBytes);
    auto* out = envelope.data();
    out = std::copy(epochKey.data(), epochKey.data() + kEpochKeyBytes, out);
    out = std::copy(keyId.bytes.begin(), keyId.bytes.end(), out);
    std::copy(participant.bytes().begin(), participant.bytes().end(), out);
    return sealTo(recipient, envelope.bytes());
}

std::vector<OpenedRow> openRecords(const SealedRecords& records, const PublicKey& pk,
                                   const SecretBytes& sk) {
    if (pk != records.participantKey) {
        throw RecordAuthenticationError("the key pair is not the one these records belong to");
    }
    std::map<EpochKeyId, SecretBytes> keys;
    for (const auto& sealedKey : records.epochKeys) {
        keys.insert_or_assign(sealedKey.keyId,
                              openEpochKey(sealedKey, records.participant, pk, sk));
    }

    std::vector<OpenedRow> opened;
    opened.reserve(records.rows.size());
    for (const auto& row : records.rows) {
        const auto key = keys.find(row.keyId);
        if (key == keys.end()) {
            throw RecordAuthenticationError(rowLabel(row) + " names an epoch key that is missing");
        }
        opened.push_back({row.signal, row.windowStartMs, row.windowEndMs,
                          openRow(row, records.participant, key->second)});
    }
    return opened;
}

// ---- JSON --------------------------------------------------------------------

namespace {

EpochKeyId keyIdField(const nlohmann::json& j) {
    const auto bytes = parseHex(j.at("keyId").get<std::string>());
    const auto id = bytes ? EpochKeyId::fromBytes(*bytes) : std::nullopt;
    if (!id) {
        throw std::invalid_argument("keyId must be 32 hex digits");
    }
    return *id;
}

SealedRow rowFromJson(const nlohmann::json& j) {
    SealedRow row;
    const auto signal = parseSignal(j.at("signal").get<std::string>());
    if (!signal) {
        throw std::invalid_argument("unknown signal in sealed row");
    }
    row.signal = *signal;
    row.windowStartMs = j.at("windowStartMs").get<std::int64_t>();
    row.windowEndMs = j.at("windowEndMs").get<std::int64_t>();
    row.keyId = keyIdField(j);
    row.schemaVersion = j.at("schemaVersion").get<std::uint32_t>();
    const auto nonce = base64Field(j, "nonce");
    if (nonce.size() != row.nonce.size()) {
        throw std::invalid_argument("row nonce must be 24 bytes");
    }
    std::copy(nonce.begin(), nonce.end(), row.nonce.begin());
    row.ciphertext = base64Field(j, "ciphertext");
    return row;
}

}  // namespace

nlohmann::json toJson(const SealedRecords& records) {
    nlohmann::json keys = nlohmann::json::array();
    for (const auto& k : records.epochKeys) {
        keys.push_back(
            {{"keyId", k.keyId.toHex()}, {"epoch", k.epoch}, {"sealed", toBase64(k.sealed)}});
    }
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : records.rows) {
        rows.push_back({{"signal", toString(r.signal)},
                        {"windowStartMs", r.windowStartMs},
                        {"windowEndMs", r.windowEndMs},
                        {"keyId", r.keyId.toHex()},
                        {"schemaVersion", r.schemaVersion},
                        {"nonce", toBase64(r.nonce)},
                        {"ciphertext", toBase64(r.ciphertext)}});
    }
    return {{"participant", records.participant.toString()},
            {"participantKey", records.participantKey},
            {"wrappedKey", records.wrappedKey},
            {"epochKeys", std::move(keys)},
            {"rows", std::move(rows)}};
}

SealedRecords sealedRecordsFromJson(const nlohmann::json& j) {
    const auto participant = ParticipantId::parse(j.at("participant").get<std::string>());
    if (!participant) {
        throw std::invalid_argument("participant must be a participant id (p-<32 hex>)");
    }
    SealedRecords records{*participant,
                          j.at("participantKey").get<PublicKey>(),
                          j.at("wrappedKey").get<WrappedSecretKey>(),
                          {},
                          {}};
    for (const auto& k : j.at("epochKeys")) {
        records.epochKeys.push_back(
            {keyIdField(k), k.at("epoch").get<std::int64_t>(), base64Field(k, "sealed")});
    }
    for (const auto& r : j.at("rows")) {
        records.rows.push_back(rowFromJson(r));
    }
    return records;
}

}  // namespace wardgate::storage

NLOHMANN_JSON_NAMESPACE_BEGIN

void adl_serializer<wardgate::storage::SealedRecords, void>::to_json(
    json& j, const wardgate::storage::SealedRecords& records) {
    j = wardgate::storage::toJson(records);
}

wardgate::storage::SealedRecords adl_serializer<wardgate::storage::SealedRecords, void>::from_json(
    const json& j) {
    return wardgate::storage::sealedRecordsFromJson(j);
}

NLOHMANN_JSON_NAMESPACE_END

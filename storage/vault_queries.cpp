#include "storage/vault_queries.hpp"

#include <set>
#include <stdexcept>

#include "storage/vault.hpp"

namespace wardgate::storage::queries {
namespace {

constexpr std::int64_t kRecipientParticipant = 1;

PublicKey publicKeyFrom(const std::vector<std::uint8_t>& bytes) {
    PublicKey key;
    if (bytes.size() != key.bytes.size()) {
        throw std::runtime_error("stored public key has the wrong length");
    }
    std::copy(bytes.begin(), bytes.end(), key.bytes.begin());
    return key;
}

template <std::size_t N>
void copyFixed(const std::vector<std::uint8_t>& from, std::array<std::uint8_t, N>& to,
               const char* what) {
    if (from.size() != N) {
        throw std::runtime_error(std::string("stored ") + what + " has the wrong length");
    }
    std::copy(from.begin(), from.end(), to.begin());
}

EpochKeyId keyIdFrom(const std::vector<std::uint8_t>& bytes) {
    const auto id = EpochKeyId::fromBytes(bytes);
    if (!id) {
        throw std::runtime_error("stored epoch key id has the wrong length");
    }
    return *id;
}

SealedRow readRow(const Statement& stmt) {
    const auto signal = signalFromValue(static_cast<std::uint8_t>(stmt.columnInt64(0)));
    const auto version = stmt.columnInt64(4);
    if (!signal || version < 0 || version > std::int64_t{UINT32_MAX}) {
        throw std::runtime_error("stored window row is malformed");
    }
    SealedRow row;
    row.signal = *signal;
    row.windowStartMs = stmt.columnInt64(1);
    row.windowEndMs = stmt.columnInt64(2);
    row.keyId = keyIdFrom(stmt.columnBlob(3));
    row.schemaVersion = static_cast<std::uint32_t>(version);
    copyFixed(stmt.columnBlob(5), row.nonce, "row nonce");
    row.ciphertext = stmt.columnBlob(6);
    return row;
}

}  // namespace

ParticipantRecord readParticipant(const Statement& stmt) {
    const auto id = ParticipantId::fromBytes(stmt.columnBlob(0));
    const auto bits = stmt.columnInt64(2);
    const auto signals = (bits >= 0 && bits <= 0xff)
                             ? SignalSet::fromBits(static_cast<std::uint8_t>(bits))
                             : std::nullopt;
    if (!id || !signals) {
        throw std::runtime_error("stored participant row is malformed");
    }
    ParticipantRecord r{
        *id,          stmt.columnText(1), *signals,           publicKeyFrom(stmt.columnBlob(3)),
        std::nullopt, stmt.columnText(5), stmt.columnInt64(6)};
    if (!stmt.isNull(4)) {
        r.providerKey = publicKeyFrom(stmt.columnBlob(4));
    }
    return r;
}

WrappedSecretKey readWrappedKey(Database& db, const ParticipantId& id) {
    auto stmt = db.prepare(
        "SELECT salt, ops_limit, mem_limit, nonce, ciphertext"
        " FROM wrapped_keys WHERE participant_id = ?");
    stmt.bind(1, id.bytes());
    if (!stmt.step()) {
        throw std::runtime_error("the participant's wrapped key is missing");
    }
    WrappedSecretKey key;
    copyFixed(stmt.columnBlob(0), key.salt, "salt");
    key.opsLimit = static_cast<std::uint64_t>(stmt.columnInt64(1));
    key.memLimitBytes = static_cast<std::uint64_t>(stmt.columnInt64(2));
    copyFixed(stmt.columnBlob(3), key.nonce, "wrapped-key nonce");
    key.ciphertext = stmt.columnBlob(4);
    return key;
}

std::vector<SealedRow> readRows(Database& db, const ParticipantId& id,
                                std::optional<std::int64_t> fromMs,
                                std::optional<std::int64_t> toMs) {
    auto stmt = db.prepare(
        "SELECT signal, window_start_ms, window_end_ms, key_id, schema_version, nonce, ciphertext"
        " FROM windows WHERE participant_id = ?1"
        " AND (?2 IS NULL OR window_start_ms >= ?2) AND (?3 IS NULL OR window_start_ms < ?3)"
        " ORDER BY window_start_ms, signal");
    stmt.bind(1, id.bytes());
    fromMs ? stmt.bind(2, *fromMs) : stmt.bindNull(2);
    toMs ? stmt.bind(3, *toMs) : stmt.bindNull(3);
    std::vector<SealedRow> rows;
    while (stmt.step()) {
        rows.push_back(readRow(stmt));
    }
    return rows;
}

std::vector<SealedEpochKey> readEpochKeys(Database& db, const ParticipantId& id,
                                          const std::vector<SealedRow>& rows) {
    std::set<EpochKeyId> wanted;
    for (const auto& row : rows) {
        wanted.insert(row.keyId);
    }
    auto stmt = db.prepare(
        "SELECT k.key_id, k.epoch, s.sealed FROM epoch_keys k"
        " JOIN sealed_epoch_keys s ON s.key_id = k.key_id AND s.recipient = ?2"
        " WHERE k.participant_id = ?1 ORDER BY k.epoch, k.created_at_ms");
    stmt.bind(1, id.bytes()).bind(2, kRecipientParticipant);
    std::vector<SealedEpochKey> keys;
    while (stmt.step()) {
        auto keyId = keyIdFrom(stmt.columnBlob(0));
        if (wanted.contains(keyId)) {
            keys.push_back({keyId, stmt.columnInt64(1), stmt.columnBlob(2)});
        }
    }
    return keys;
}

}  // namespace wardgate::storage::queries

#include "storage/vault.hpp"

#include <array>
#include <string_view>
#include <utility>

#include "storage/schema.hpp"
#include "storage/vault_queries.hpp"
#include "storage/vault_setup.hpp"

namespace wardgate::storage {
namespace {

using setup::describeFailure;
using setup::toVaultErrc;

constexpr std::int64_t kRecipientParticipant = 1;
constexpr std::int64_t kRecipientProvider = 2;

// Children before parents, so no foreign key is ever left dangling.
constexpr std::string_view kDeleteSealedKeys =
    "DELETE FROM sealed_epoch_keys WHERE key_id IN"
    " (SELECT key_id FROM epoch_keys WHERE participant_id = ?1)";
constexpr std::array<std::string_view, 6> kWithdrawalDeletes{
    "DELETE FROM windows WHERE participant_id = ?1",
    kDeleteSealedKeys,
    "DELETE FROM epoch_keys WHERE participant_id = ?1",
    "DELETE FROM consents WHERE participant_id = ?1",
    "DELETE FROM wrapped_keys WHERE participant_id = ?1",
    "DELETE FROM participants WHERE id = ?1",
};

std::int64_t floorDiv(std::int64_t a, std::int64_t b) noexcept {
    const std::int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

}  // namespace

struct Vault::WriteTarget {
    PublicKey participantKey;
    std::optional<PublicKey> providerKey;
    SignalSet signals;
};

std::unique_ptr<Vault> Vault::open(const std::filesystem::path& path, VaultOptions options) {
    if (options.epochLength.count() <= 0) {
        throw VaultError("vault " + path.string() + ": epoch length must be positive");
    }
    ensureSodium();
    setup::createPrivateFile(path);
    try {
        auto db = Database::open(path, {options.vfsName, true});
        setup::configure(db, options.busyTimeout);
        std::unique_ptr<Vault> vault(new Vault(path, std::move(options), std::move(db)));
        migrateToCurrent(vault->db_, vault->nowMs());
        return vault;
    } catch (const SqliteError& e) {
        throw VaultError("vault " + path.string() + ": " + describeFailure(e) + " (" + e.what() +
                         ")");
    } catch (const std::runtime_error& e) {
        throw VaultError("vault " + path.string() + ": " + e.what());
    }
}

Vault::Vault(std::filesystem::path path, VaultOptions options, Database db)
    : path_(std::move(path)), options_(std::move(options)), db_(std::move(db)) {}

Vault::~Vault() {
    closeAllEpochs();
}

std::int64_t Vault::nowMs() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(options_.clock().time_since_epoch()).count();
}

std::int64_t Vault::epochOf(std::int64_t windowStartMs) const noexcept {
    const auto lengthMs = std::chrono::milliseconds(options_.epochLength).count();
    return floorDiv(windowStartMs, lengthMs);
}

VaultError Vault::error(const std::string& what, const std::exception& cause) const {
    std::string msg = "vault " + path_.string() + ": " + what;
    if (const auto* sqlite = dynamic_cast<const SqliteError*>(&cause)) {
        msg += ": " + describeFailure(*sqlite);
    }
    // NOLINTNEXTLINE(modernize-return-braced-init-list): the constructor is explicit
    return VaultError(msg + " (" + cause.what() + ")");
}

// ---- participants ------------------------------------------------------------

ParticipantId Vault::enrol(const Enrolment& e) {
    if (e.signals.empty() || e.consentVersion.empty() || e.bandAddress.empty()) {
        throw VaultError("vault " + path_.string() +
                         ": enrolment needs a band address, at least one signal and a consent "
                         "version");
    }
    if (!isWellFormed(e.wrappedKey) || !isUsablePublicKey(e.participantKey) ||
        (e.providerKey && !isUsablePublicKey(*e.providerKey))) {
        // Refused now, or every later window would fail to seal or never open.
        throw VaultError("vault " + path_.string() +
                         ": enrolment carries a malformed wrapped key or an unusable public key");
    }
    if (findByBand(e.bandAddress)) {
        throw VaultError("vault " + path_.string() + ": this band is already enrolled; " +
                         "withdraw it first to enrol it again");
    }
    const auto id = ParticipantId::random();
    const auto now = nowMs();
    try {
        Transaction tx(db_);
        auto p = db_.prepare(
            "INSERT INTO participants (id, band_address, public_key,"
            " provider_key, enrolled_at_ms) VALUES (?, ?, ?, ?, ?)");
        p.bind(1, id.bytes()).bind(2, std::string_view(e.bandAddress));
        p.bind(3, e.participantKey.bytes).bind(5, now);
        e.providerKey ? p.bind(4, e.providerKey->bytes) : p.bindNull(4);
        p.run();

        const auto& w = e.wrappedKey;
        auto k = db_.prepare(
            "INSERT INTO wrapped_keys (participant_id, kdf, salt, ops_limit,"
            " mem_limit, nonce, ciphertext) VALUES (?, 'argon2id13', ?, ?, ?, ?, ?)");
        k.bind(1, id.bytes()).bind(2, w.salt).bind(3, static_cast<std::int64_t>(w.opsLimit));
        k.bind(4, static_cast<std::int64_t>(w.memLimitBytes)).bind(5, w.nonce);
        k.bind(6, w.ciphertext).run();

        auto c = db_.prepare(
            "INSERT INTO consents (participant_id, signals, consent_version,"
            " given_at_ms) VALUES (?, ?, ?, ?)");
        c.bind(1, id.bytes()).bind(2, std::int64_t{e.signals.bits()});
        c.bind(3, std::string_view(e.consentVersion)).bind(4, now).run();
        tx.commit();
    } catch (const SqliteError& ex) {
        if (ex.failure() == SqliteFailure::UniqueConflict) {
            throw VaultError("vault " + path_.string() + ": this band is already enrolled");
        }
        throw error("enrolment not stored", ex);
    }
    return id;
}

std::optional<ParticipantRecord> Vault::findByBand(std::string_view address) const {
    try {
        auto stmt =
            db_.prepare(std::string(queries::kSelectParticipant) + "WHERE p.band_address = ?");
        stmt.bind(1, address);
        return stmt.step() ? std::optional(queries::readParticipant(stmt)) : std::nullopt;
    } catch (const std::runtime_error& e) {
        throw error("cannot look up a band", e);
    }
}

std::optional<ParticipantRecord> Vault::find(const ParticipantId& id) const {
    try {
        auto stmt = db_.prepare(std::string(queries::kSelectParticipant) + "WHERE p.id = ?");
        stmt.bind(1, id.bytes());
        return stmt.step() ? std::optional(queries::readParticipant(stmt)) : std::nullopt;
    } catch (const std::runtime_error& e) {
        throw error("cannot look up a participant", e);
    }
}

std::vector<ParticipantRecord> Vault::participants() const {
    try {
        auto stmt = db_.prepare(std::string(queries::kSelectParticipant) +
                                "ORDER BY p.enrolled_at_ms, p.band_address");
        std::vector<ParticipantRecord> out;
        while (stmt.step()) {
            out.push_back(queries::readParticipant(stmt));
        }
        return out;
    } catch (const std::runtime_error& e) {
        throw error("cannot list participants", e);
    }
}

// ---- writing windows -----------------------------------------------------------

// Queries directly rather than through find(), so that a SqliteError reaches
// storeWindow with its code (find() wraps it into a VaultError).
std::optional<Vault::WriteTarget> Vault::loadWriteTarget(const ParticipantId& id) {
    auto stmt = db_.prepare(std::string(queries::kSelectParticipant) + "WHERE p.id = ?");
    stmt.bind(1, id.bytes());
    if (!stmt.step()) {
        return std::nullopt;
    }
    const auto record = queries::readParticipant(stmt);
    return WriteTarget{record.participantKey, record.providerKey, record.signals};
}

Vault::HeldKey Vault::createEpochKey(const ParticipantId& id, std::int64_t epoch,
                                     const WriteTarget& target) {
    HeldKey held{epoch, EpochKeyId::random(), SecretBytes::random(kEpochKeyBytes)};
    auto k = db_.prepare(
        "INSERT INTO epoch_keys (key_id, participant_id, epoch, created_at_ms)"
        " VALUES (?, ?, ?, ?)");
    k.bind(1, held.keyId.bytes).bind(2, id.bytes()).bind(3, epoch).bind(4, nowMs()).run();

    auto s = db_.prepare(
        "INSERT INTO sealed_epoch_keys (key_id, recipient, recipient_key, sealed)"
        " VALUES (?, ?, ?, ?)");
    const auto addRecipient = [&](std::int64_t role, const PublicKey& pk) {
        s.reset();
        s.bind(1, held.keyId.bytes).bind(2, role).bind(3, pk.bytes);
        s.bind(4, sealEpochKey(pk, held.key, held.keyId, id)).run();
    };
    addRecipient(kRecipientParticipant, target.participantKey);
    if (target.providerKey) {
        addRecipient(kRecipientProvider, *target.providerKey);
    }
    return held;
}

void Vault::insertRow(const ParticipantId& id, SealedRow& row, const HeldKey& key,
                      std::span<const std::uint8_t> plaintext) {
    row.keyId = key.keyId;
    row.schemaVersion = kSchemaVersion;
    sealRow(row, id, key.key, plaintext);
    auto stmt = db_.prepare(
        "INSERT INTO windows (participant_id, signal, window_start_ms,"
        " window_end_ms, key_id, schema_version, nonce, ciphertext)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    stmt.bind(1, id.bytes()).bind(2, std::int64_t{static_cast<std::uint8_t>(row.signal)});
    stmt.bind(3, row.windowStartMs).bind(4, row.windowEndMs).bind(5, row.keyId.bytes);
    stmt.bind(6, std::int64_t{row.schemaVersion}).bind(7, row.nonce).bind(8, row.ciphertext);
    stmt.run();
}

std::error_code Vault::storeWindow(const ParticipantId& id, Signal signal,
                                   std::int64_t windowStartMs, std::int64_t windowEndMs,
                                   std::span<const std::uint8_t> plaintext) noexcept {
    try {
        return storeWindowImpl(id, signal, windowStartMs, windowEndMs, plaintext);
    } catch (const SqliteError& e) {
        return toVaultErrc(e);
    } catch (const std::bad_alloc&) {
        return VaultErrc::OutOfMemory;
    } catch (...) {
        return VaultErrc::Database;
    }
}

std::error_code Vault::storeWindowImpl(const ParticipantId& id, Signal signal,
                                       std::int64_t windowStartMs, std::int64_t windowEndMs,
                                       std::span<const std::uint8_t> plaintext) {
    if (windowEndMs < windowStartMs || !signalFromValue(static_cast<std::uint8_t>(signal))) {
        return VaultErrc::InvalidWindow;
    }
    const auto target = loadWriteTarget(id);
    if (!target) {
        return VaultErrc::UnknownParticipant;
    }
    if (!target->signals.contains(signal)) {
        return VaultErrc::SignalNotConsented;
    }

    const auto epoch = epochOf(windowStartMs);
    const auto heldIt = held_.find(id);
    const bool haveKey = heldIt != held_.end() && heldIt->second.epoch == epoch;
    Transaction tx(db_);
    std::optional<HeldKey> fresh;
    if (!haveKey) {
        fresh = createEpochKey(id, epoch, *target);
    }
    SealedRow row;
    row.signal = signal;
    row.windowStartMs = windowStartMs;
    row.windowEndMs = windowEndMs;
    insertRow(id, row, haveKey ? heldIt->second : *fresh, plaintext);
    tx.commit();

    // Only a committed key is held. A later epoch replaces (and so wipes) the
    // held key; a key for an older epoch is one-shot and dies with `fresh`.
    if (fresh && heldIt == held_.end()) {
        held_.emplace(id, std::move(*fresh));
    } else if (fresh && fresh->epoch > heldIt->second.epoch) {
        heldIt->second = std::move(*fresh);
    }
    return {};
}

// ---- reading and withdrawal ------------------------------------------------------

SealedRecords Vault::sealedRecordsFor(const ParticipantId& id, std::optional<std::int64_t> fromMs,
                                      std::optional<std::int64_t> toMs) const {
    const auto record = find(id);
    if (!record) {
        throw VaultError("vault " + path_.string() + ": unknown participant " + id.toString());
    }
    try {
        SealedRecords out{id, record->participantKey, queries::readWrappedKey(db_, id), {}, {}};
        out.rows = queries::readRows(db_, id, fromMs, toMs);
        out.epochKeys = queries::readEpochKeys(db_, id, out.rows);
        return out;
    } catch (const std::runtime_error& e) {
        throw error("cannot read the records of " + id.toString(), e);
    }
}

void Vault::withdraw(const ParticipantId& id) {
    // Wipe first: whatever happens to the transaction, this key is done.
    held_.erase(id);
    try {
        Transaction tx(db_);
        for (const std::string_view sql : kWithdrawalDeletes) {
            auto stmt = db_.prepare(sql);
            stmt.bind(1, id.bytes()).run();
        }
        // TODO(#6): append the audit entry "a withdrawal happened" in this transaction.
        tx.commit();
    } catch (const SqliteError& e) {
        throw error("withdrawal failed, nothing deleted", e);
    }
    compactAfterDelete();
}

// secure_delete zeroes the cells that a DELETE removes, but not the stale
// copies a page split or merge left earlier in the unallocated space of pages
// that still hold other participants' rows (seen in the canary test: a
// withdrawn participant's id, key id and ciphertext survived DELETE plus
// checkpoint). VACUUM rebuilds every page from live rows only; the TRUNCATE
// checkpoints move it into the main file and empty the WAL.
void Vault::compactAfterDelete() {
    try {
        db_.checkpointTruncate();
        db_.exec("VACUUM");
        db_.checkpointTruncate();
    } catch (const SqliteError& e) {
        throw error(
            "withdrawal committed but compacting the file did not complete;"
            " call withdraw() again to finish",
            e);
    }
}

std::error_code Vault::checkpoint() noexcept {
    try {
        db_.checkpointTruncate();
        return {};
    } catch (const SqliteError& e) {
        return toVaultErrc(e);
    } catch (...) {
        return VaultErrc::Database;
    }
}

void Vault::closeAllEpochs() noexcept {
    held_.clear();
}

VaultStats Vault::stats() const {
    VaultStats s;
    try {
        s.participants =
            static_cast<std::size_t>(db_.queryInt64("SELECT count(*) FROM participants"));
        s.rows = static_cast<std::size_t>(db_.queryInt64("SELECT count(*) FROM windows"));
    } catch (const SqliteError& e) {
        throw error("cannot count rows", e);
    }
    std::error_code ec;
    const auto size = std::filesystem::file_size(path_, ec);
    s.databaseBytes = ec ? 0 : size;
    const auto walSize = std::filesystem::file_size(path_.string() + "-wal", ec);
    s.walBytes = ec ? 0 : walSize;
    return s;
}

}  // namespace wardgate::storage

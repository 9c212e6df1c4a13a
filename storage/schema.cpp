#include "storage/schema.hpp"

#include <array>
#include <stdexcept>

namespace wardgate::storage {
namespace {

struct Migration {
    std::uint32_t toVersion;
    const char* sql;
};

// Version 1: participants, their wrapped keys and consent, epoch keys sealed to
// recipients, and sealed windows. WITHOUT ROWID keeps each table a single
// B-tree keyed by what we look up. No column holds a name.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE participants (
    id              BLOB PRIMARY KEY CHECK (length(id) = 16),
    band_address    TEXT NOT NULL UNIQUE,
    public_key      BLOB NOT NULL CHECK (length(public_key) = 32),
    provider_key    BLOB CHECK (provider_key IS NULL OR length(provider_key) = 32),
    enrolled_at_ms  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE wrapped_keys (
    participant_id  BLOB PRIMARY KEY REFERENCES participants(id) ON DELETE CASCADE,
    kdf             TEXT NOT NULL,
    salt            BLOB NOT NULL,
    ops_limit       INTEGER NOT NULL,
    mem_limit       INTEGER NOT NULL,
    nonce           BLOB NOT NULL,
    ciphertext      BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE consents (
    participant_id  BLOB PRIMARY KEY REFERENCES participants(id) ON DELETE CASCADE,
    signals         INTEGER NOT NULL,
    consent_version TEXT NOT NULL,
    given_at_ms     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE epoch_keys (
    key_id          BLOB PRIMARY KEY CHECK (length(key_id) = 16),
    participant_id  BLOB NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    epoch           INTEGER NOT NULL,
    created_at_ms   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX epoch_keys_by_participant ON epoch_keys (participant_id, epoch);
CREATE TABLE sealed_epoch_keys (
    key_id          BLOB NOT NULL REFERENCES epoch_keys(key_id) ON DELETE CASCADE,
    recipient       INTEGER NOT NULL CHECK (recipient IN (1, 2)),
    recipient_key   BLOB NOT NULL CHECK (length(recipient_key) = 32),
    sealed          BLOB NOT NULL,
    PRIMARY KEY (key_id, recipient)
) WITHOUT ROWID;
CREATE TABLE windows (
    participant_id  BLOB NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    signal          INTEGER NOT NULL,
    window_start_ms INTEGER NOT NULL,
    window_end_ms   INTEGER NOT NULL,
    key_id          BLOB NOT NULL REFERENCES epoch_keys(key_id),
    schema_version  INTEGER NOT NULL,
    nonce           BLOB NOT NULL CHECK (length(nonce) = 24),
    ciphertext      BLOB NOT NULL,
    PRIMARY KEY (participant_id, signal, window_start_ms)
) WITHOUT ROWID;
CREATE INDEX windows_by_time ON windows (participant_id, window_start_ms);
CREATE INDEX windows_by_key ON windows (key_id);
)sql";

constexpr std::array kMigrations{Migration{1, kSchemaV1}};
static_assert(kMigrations.back().toVersion == kSchemaVersion);

bool hasTable(Database& db, const char* name) {
    auto stmt = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
    stmt.bind(1, std::string_view(name));
    return stmt.step();
}

void checkIsVault(Database& db) {
    const auto appId = db.queryInt64("PRAGMA application_id");
    const bool empty = db.queryInt64("SELECT count(*) FROM sqlite_schema") == 0;
    if (empty && appId == 0) {
        return;
    }
    if (appId != kVaultApplicationId || !hasTable(db, "schema_migrations")) {
        throw std::runtime_error("the file is a SQLite database but not a wardgate vault");
    }
}

void apply(Database& db, const Migration& m, std::int64_t nowMs) {
    Transaction tx(db);
    // Re-read inside the write lock: another process may have migrated meanwhile.
    if (schemaVersionOf(db) >= m.toVersion) {
        return;
    }
    db.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, applied_at_ms INTEGER NOT NULL)");
    db.exec("PRAGMA application_id = " + std::to_string(kVaultApplicationId));
    db.exec(m.sql);
    auto stmt = db.prepare("INSERT INTO schema_migrations (version, applied_at_ms) VALUES (?, ?)");
    stmt.bind(1, std::int64_t{m.toVersion}).bind(2, nowMs).run();
    tx.commit();
}

}  // namespace

std::uint32_t schemaVersionOf(Database& db) {
    if (!hasTable(db, "schema_migrations")) {
        return 0;
    }
    const auto version = db.queryInt64("SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (version < 0 || version > std::int64_t{UINT32_MAX}) {
        throw std::runtime_error("schema_migrations holds an impossible version");
    }
    return static_cast<std::uint32_t>(version);
}

void migrateToCurrent(Database& db, std::int64_t nowMs) {
    checkIsVault(db);
    const auto found = schemaVersionOf(db);
    if (found > kSchemaVersion) {
        throw std::runtime_error("vault schema version " + std::to_string(found) +
                                 " is newer than this build understands (" +
                                 std::to_string(kSchemaVersion) + ")");
    }
    for (const auto& m : kMigrations) {
        if (m.toVersion > found) {
            apply(db, m, nowMs);
        }
    }
}

}  // namespace wardgate::storage

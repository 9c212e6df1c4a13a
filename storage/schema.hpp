#pragma once
// Vault schema and forward migrations. See storage/README.md for the layout.
//
// Every migration runs in its own IMMEDIATE transaction together with the row
// that records it in schema_migrations, so a crash leaves the file at one
// version or the next, never between. A vault newer than this build is
// refused rather than guessed at.

#include <cstdint>
#include <string>

#include "storage/database.hpp"

namespace wardgate::storage {

// Current schema version. New rows are sealed with it in their associated data;
// old rows keep the version they were sealed with.
inline constexpr std::uint32_t kSchemaVersion = 1;

// 'WGVT': marks the file as a wardgate vault (PRAGMA application_id).
inline constexpr std::int64_t kVaultApplicationId = 0x57475654;

// Version recorded in the file (0 for an empty database).
[[nodiscard]] std::uint32_t schemaVersionOf(Database& db);

// Brings `db` to kSchemaVersion. Throws SqliteError from SQLite and
// std::runtime_error with a plain message if the file is not a vault or is
// newer than this build. `nowMs` is recorded with each applied migration.
void migrateToCurrent(Database& db, std::int64_t nowMs);

}  // namespace wardgate::storage

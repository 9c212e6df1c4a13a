#pragma once
// Internal to the vault: creating the file, configuring the connection, and
// translating SQLite failures into messages and error codes.

#include <chrono>
#include <filesystem>
#include <string>

#include "storage/database.hpp"
#include "storage/vault_error.hpp"

namespace wardgate::storage::setup {

// Short reason for a message: "not a SQLite database", "locked by another process", ...
[[nodiscard]] std::string describeFailure(const SqliteError& e);
[[nodiscard]] VaultErrc toVaultErrc(const SqliteError& e) noexcept;

// Creates `path` with mode 0600 if it does not exist (SQLite would use 0644
// less the umask, and gives -wal and -shm the mode of the database). Throws
// VaultError for a symlink or when the file cannot be created.
void createPrivateFile(const std::filesystem::path& path);

// Busy timeout, WAL, synchronous=FULL, secure_delete, foreign_keys,
// temp_store=MEMORY, quick_check. Throws SqliteError or std::runtime_error.
void configure(Database& db, std::chrono::milliseconds busyTimeout);

}  // namespace wardgate::storage::setup

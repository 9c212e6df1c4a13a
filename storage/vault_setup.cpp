#include "storage/vault_setup.hpp"

#include <algorithm>
#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

namespace wardgate::storage::setup {
namespace {

constexpr std::int64_t kMaxBusyTimeoutMs = 60'000;

}  // namespace

std::string describeFailure(const SqliteError& e) {
    switch (e.failure()) {
        case SqliteFailure::NotADatabase:
            return "not a SQLite database";
        case SqliteFailure::Busy:
            return "locked by another process";
        case SqliteFailure::CantOpen:
            return "cannot open the file";
        case SqliteFailure::ReadOnly:
            return "permission denied (read-only)";
        case SqliteFailure::Corrupt:
            return "the database is corrupt";
        case SqliteFailure::DiskFull:
            return "disk full";
        case SqliteFailure::Io:
            return "I/O error";
        default:
            return "database error";
    }
}

VaultErrc toVaultErrc(const SqliteError& e) noexcept {
    switch (e.failure()) {
        case SqliteFailure::DiskFull:
            return VaultErrc::DiskFull;
        case SqliteFailure::Io:
            return VaultErrc::IoError;
        case SqliteFailure::Busy:
            return VaultErrc::Busy;
        case SqliteFailure::Corrupt:
        case SqliteFailure::NotADatabase:
            return VaultErrc::Corrupt;
        case SqliteFailure::PrimaryKeyConflict:
            return VaultErrc::DuplicateWindow;
        case SqliteFailure::NoMemory:
            return VaultErrc::OutOfMemory;
        default:
            return VaultErrc::Database;
    }
}

// Creates the file with mode 0600 before SQLite does (SQLite would use 0644
// less the umask); SQLite then gives -wal and -shm the mode of the database.
void createPrivateFile(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_symlink(path, ec)) {
        // A link could point the vault (and its -wal) anywhere; SQLite would
        // refuse it too (SQLITE_OPEN_NOFOLLOW), but with a vaguer message.
        throw VaultError("vault " + path.string() + ": is a symbolic link; refusing to follow it");
    }
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) {
        ::close(fd);
        return;
    }
    if (errno != EEXIST) {
        throw VaultError("vault " + path.string() + ": cannot create the file (" +
                         std::generic_category().message(errno) + ")");
    }
}

void configure(Database& db, std::chrono::milliseconds busyTimeout) {
    const auto clamped = std::clamp<std::int64_t>(busyTimeout.count(), 0, kMaxBusyTimeoutMs);
    db.setBusyTimeout(static_cast<int>(clamped));
    if (db.isReadOnly()) {
        throw std::runtime_error("the file is not writable (permission denied)");
    }
    const auto mode = db.queryText("PRAGMA journal_mode = WAL");
    if (mode != "wal") {
        throw std::runtime_error("cannot switch to WAL (journal_mode is " + mode.value_or("?") +
                                 ")");
    }
    db.exec(
        "PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;"
        " PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;");
    // Privacy depends on these two: verify rather than trust.
    if (db.queryInt64("PRAGMA secure_delete") != 1 || db.queryInt64("PRAGMA foreign_keys") != 1) {
        throw std::runtime_error("SQLite refused secure_delete or foreign_keys");
    }
    const auto check = db.queryText("PRAGMA quick_check");
    if (check != "ok") {
        throw std::runtime_error("quick_check failed: " + check.value_or("no result"));
    }
}

}  // namespace wardgate::storage::setup

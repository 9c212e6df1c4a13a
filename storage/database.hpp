#pragma once
// A small RAII layer over the SQLite C API: the only file that includes
// <sqlite3.h>. It is the seam for fault injection (issue 6): Database::open
// takes the name of a sqlite3_vfs, so a test can register a shim VFS that
// fails the Nth write or sync and open the vault through it.
//
// Errors throw SqliteError carrying SQLite's extended result code; callers
// translate them (Vault adds the file name, or turns them into error codes).
// Not thread-safe: one connection belongs to one thread (the event loop).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace wardgate::storage {

// What kind of failure a SqliteError is, so callers need not include sqlite3.h.
enum class SqliteFailure {
    DiskFull,            // SQLITE_FULL
    Io,                  // SQLITE_IOERR_*
    Busy,                // SQLITE_BUSY, SQLITE_LOCKED
    Corrupt,             // SQLITE_CORRUPT
    NotADatabase,        // SQLITE_NOTADB
    CantOpen,            // SQLITE_CANTOPEN
    ReadOnly,            // SQLITE_READONLY, SQLITE_PERM, SQLITE_AUTH
    PrimaryKeyConflict,  // SQLITE_CONSTRAINT_PRIMARYKEY
    UniqueConflict,      // SQLITE_CONSTRAINT_UNIQUE
    NoMemory,            // SQLITE_NOMEM
    Other,
};

class SqliteError : public std::runtime_error {
  public:
    SqliteError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
    [[nodiscard]] SqliteFailure failure() const noexcept;
    // SQLite's extended result code (SQLITE_FULL, SQLITE_IOERR_WRITE, ...).
    [[nodiscard]] int code() const noexcept { return code_; }
    // The primary code (extended code & 0xff).
    [[nodiscard]] int primaryCode() const noexcept { return code_ & 0xff; }

  private:
    int code_;
};

class Statement {
  public:
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    ~Statement();

    // Parameters are 1-based, as in SQLite. Blobs and text are copied
    // (SQLITE_TRANSIENT), so the arguments may die before step().
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::span<const std::uint8_t> blob);
    Statement& bind(int index, std::string_view text);
    Statement& bindNull(int index);

    // Runs one step: true when a row is available, false when done.
    bool step();
    // step() that must finish without producing a row.
    void run();
    void reset() noexcept;

    [[nodiscard]] bool isNull(int column) const noexcept;
    [[nodiscard]] std::int64_t columnInt64(int column) const noexcept;
    [[nodiscard]] std::vector<std::uint8_t> columnBlob(int column) const;
    [[nodiscard]] std::string columnText(int column) const;

  private:
    friend class Database;
    Statement(sqlite3* db, sqlite3_stmt* stmt) noexcept : db_(db), stmt_(stmt) {}
    void check(int rc, const char* what) const;

    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
};

struct DatabaseOpenOptions {
    std::string vfsName;  // empty: SQLite's default VFS
    bool create = true;   // create the file if missing
};

class Database {
  public:
    // Opens (and creates, if allowed) `path`. Throws SqliteError on failure.
    [[nodiscard]] static Database open(const std::filesystem::path& path,
                                       const DatabaseOpenOptions& options = {});

    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    ~Database();

    // Runs one or more statements without results.
    void exec(const std::string& sql);
    [[nodiscard]] Statement prepare(std::string_view sql);
    // First column of the first row of `sql` as text (for PRAGMAs); nullopt if no row.
    [[nodiscard]] std::optional<std::string> queryText(std::string_view sql);
    [[nodiscard]] std::int64_t queryInt64(std::string_view sql);

    void setBusyTimeout(int milliseconds);
    // True if SQLite fell back to read-only access (e.g. the file is not writable).
    [[nodiscard]] bool isReadOnly() const noexcept;
    // PRAGMA wal_checkpoint(TRUNCATE). Throws SqliteError if the checkpoint
    // could not complete (e.g. SQLITE_BUSY because a reader holds the WAL).
    void checkpointTruncate();
    [[nodiscard]] bool inTransaction() const noexcept;

  private:
    explicit Database(sqlite3* db) noexcept : db_(db) {}
    void check(int rc, const char* what) const;
    void close() noexcept;

    sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE on construction; ROLLBACK in the destructor unless commit()
// succeeded. A failed COMMIT throws and leaves the rollback to the destructor.
class Transaction {
  public:
    explicit Transaction(Database& db);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    Transaction(Transaction&&) = delete;
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();

    void commit();

  private:
    Database& db_;
    bool done_ = false;
};

}  // namespace wardgate::storage

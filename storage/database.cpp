#include "storage/database.hpp"

#include <limits>
#include <system_error>
#include <utility>

#include <sqlite3.h>

namespace wardgate::storage {
namespace {

std::string describe(sqlite3* db, int rc, const char* what) {
    std::string msg(what);
    msg += ": ";
    // sqlite3_errmsg describes the most recent failure on this connection,
    // which is ours because a connection is used from one thread only.
    msg += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    // The OS error says why a file could not be opened (permission denied, ...).
    const int osError = db != nullptr ? sqlite3_system_errno(db) : 0;
    if (osError != 0) {
        msg += " (" + std::generic_category().message(osError) + ")";
    }
    return msg;
}

int checkedSize(std::size_t size) {
    if (size > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        throw SqliteError(SQLITE_TOOBIG, "value too large to bind");
    }
    return static_cast<int>(size);
}

}  // namespace

SqliteFailure SqliteError::failure() const noexcept {
    switch (code_) {
        case SQLITE_CONSTRAINT_PRIMARYKEY:
            return SqliteFailure::PrimaryKeyConflict;
        case SQLITE_CONSTRAINT_UNIQUE:
            return SqliteFailure::UniqueConflict;
        default:
            break;
    }
    switch (primaryCode()) {
        case SQLITE_FULL:
            return SqliteFailure::DiskFull;
        case SQLITE_IOERR:
            return SqliteFailure::Io;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return SqliteFailure::Busy;
        case SQLITE_CORRUPT:
            return SqliteFailure::Corrupt;
        case SQLITE_NOTADB:
            return SqliteFailure::NotADatabase;
        case SQLITE_CANTOPEN:
            return SqliteFailure::CantOpen;
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_AUTH:
            return SqliteFailure::ReadOnly;
        case SQLITE_NOMEM:
            return SqliteFailure::NoMemory;
        default:
            return SqliteFailure::Other;
    }
}

// ---- Statement --------------------------------------------------------------

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        db_ = std::exchange(other.db_, nullptr);
        stmt_ = std::exchange(other.stmt_, nullptr);
    }
    return *this;
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

void Statement::check(int rc, const char* what) const {
    if (rc != SQLITE_OK) {
        throw SqliteError(sqlite3_extended_errcode(db_), describe(db_, rc, what));
    }
}

Statement& Statement::bind(int index, std::int64_t value) {
    check(sqlite3_bind_int64(stmt_, index, value), "bind integer");
    return *this;
}

Statement& Statement::bind(int index, std::span<const std::uint8_t> blob) {
    // A zero-length blob must still bind as a blob, not as NULL.
    static constexpr std::uint8_t kEmpty = 0;
    const void* data = blob.empty() ? &kEmpty : blob.data();
    check(sqlite3_bind_blob(stmt_, index, data, checkedSize(blob.size()), SQLITE_TRANSIENT),
          "bind blob");
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    check(sqlite3_bind_text(stmt_, index, text.data(), checkedSize(text.size()), SQLITE_TRANSIENT),
          "bind text");
    return *this;
}

Statement& Statement::bindNull(int index) {
    check(sqlite3_bind_null(stmt_, index), "bind null");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    const int code = sqlite3_extended_errcode(db_);
    std::string msg = describe(db_, rc, "step");
    sqlite3_reset(stmt_);
    throw SqliteError(code, msg);
}

void Statement::run() {
    if (step()) {
        throw SqliteError(SQLITE_MISUSE, "statement returned a row where none was expected");
    }
}

void Statement::reset() noexcept {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool Statement::isNull(int column) const noexcept {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::columnInt64(int column) const noexcept {
    return sqlite3_column_int64(stmt_, column);
}

std::vector<std::uint8_t> Statement::columnBlob(int column) const {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
    const int size = sqlite3_column_bytes(stmt_, column);
    if (data == nullptr || size <= 0) {
        return {};
    }
    return {data, data + size};
}

std::string Statement::columnText(int column) const {
    const auto* data = sqlite3_column_text(stmt_, column);
    const int size = sqlite3_column_bytes(stmt_, column);
    if (data == nullptr || size <= 0) {
        return {};
    }
    return {reinterpret_cast<const char*>(data), static_cast<std::size_t>(size)};
}

// ---- Database ---------------------------------------------------------------

Database Database::open(const std::filesystem::path& path, const DatabaseOpenOptions& options) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW;
    if (options.create) {
        flags |= SQLITE_OPEN_CREATE;
    }
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags,
                                   options.vfsName.empty() ? nullptr : options.vfsName.c_str());
    Database db(raw);  // sqlite3_open_v2 may hand back a handle even on failure
    if (rc != SQLITE_OK) {
        throw SqliteError(raw != nullptr ? sqlite3_extended_errcode(raw) : rc,
                          describe(raw, rc, "open"));
    }
    sqlite3_extended_result_codes(raw, 1);
    return db;
}

Database::Database(Database&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        close();
        db_ = std::exchange(other.db_, nullptr);
    }
    return *this;
}

Database::~Database() {
    close();
}

void Database::close() noexcept {
    // sqlite3_close_v2 defers the close until any stray statement is finalised.
    sqlite3_close_v2(db_);
    db_ = nullptr;
}

void Database::check(int rc, const char* what) const {
    if (rc != SQLITE_OK) {
        throw SqliteError(sqlite3_extended_errcode(db_), describe(db_, rc, what));
    }
}

void Database::exec(const std::string& sql) {
    check(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr), "exec");
}

Statement Database::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    check(sqlite3_prepare_v2(db_, sql.data(), checkedSize(sql.size()), &stmt, nullptr), "prepare");
    return {db_, stmt};
}

std::optional<std::string> Database::queryText(std::string_view sql) {
    auto stmt = prepare(sql);
    if (!stmt.step()) {
        return std::nullopt;
    }
    return stmt.columnText(0);
}

std::int64_t Database::queryInt64(std::string_view sql) {
    auto stmt = prepare(sql);
    return stmt.step() ? stmt.columnInt64(0) : 0;
}

void Database::setBusyTimeout(int milliseconds) {
    check(sqlite3_busy_timeout(db_, milliseconds), "busy_timeout");
}

void Database::checkpointTruncate() {
    int walFrames = 0;
    int checkpointed = 0;
    check(sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &walFrames,
                                    &checkpointed),
          "wal_checkpoint(TRUNCATE)");
}

bool Database::isReadOnly() const noexcept {
    return sqlite3_db_readonly(db_, "main") == 1;
}

bool Database::inTransaction() const noexcept {
    return sqlite3_get_autocommit(db_) == 0;
}

// ---- Transaction ------------------------------------------------------------

Transaction::Transaction(Database& db) : db_(db) {
    db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    // After an I/O error or SQLITE_FULL SQLite may already have rolled back.
    if (!done_ && db_.inTransaction()) {
        try {
            db_.exec("ROLLBACK");
        } catch (const SqliteError&) {
            // Nothing more to do: SQLite rolls back a hot WAL transaction on next open.
        }
    }
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace wardgate::storage

#pragma once
// Errors of the vault: VaultError (thrown at open/enrol/withdraw, message names
// the file and what failed) and VaultErrc (returned by the noexcept write path).

#include <stdexcept>
#include <string>
#include <system_error>

namespace wardgate::storage {

class VaultError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Error codes of Vault::storeWindow. Category name "wardgate.vault".
enum class VaultErrc {
    UnknownParticipant = 1,  // no such participant (withdrawn, or never enrolled)
    SignalNotConsented,      // the participant did not consent to this signal: dropped
    InvalidWindow,           // windowEndMs < windowStartMs, or not a known Signal
    DuplicateWindow,         // a row for this participant, signal and start already exists
    DiskFull,                // SQLITE_FULL: nothing was written; retry when space returns
    IoError,                 // SQLITE_IOERR_*: nothing was written
    Busy,                    // SQLITE_BUSY / LOCKED beyond the busy timeout
    Corrupt,                 // SQLITE_CORRUPT / NOTADB: the file needs attention
    Database,                // any other SQLite failure
    OutOfMemory,
};

[[nodiscard]] const std::error_category& vaultCategory() noexcept;
// NOLINTNEXTLINE(readability-identifier-naming): name fixed by <system_error> lookup
[[nodiscard]] std::error_code make_error_code(VaultErrc e) noexcept;

}  // namespace wardgate::storage

template <>
struct std::is_error_code_enum<wardgate::storage::VaultErrc> : std::true_type {};

#pragma once
// A shim sqlite3_vfs for I/O-error injection (SECURITY.md 1.1 and 6.4): it
// wraps the default VFS and, when armed, fails the Nth write-side operation
// (xWrite, xSync, xTruncate) on any file with a chosen SQLite error code,
// once or for every later operation too. Open a vault through it with
// VaultOptions::vfsName = FaultyVfs::kName.
// Process-global and single-threaded, like the tests that use it.

#include <cstdint>

namespace wardgate::storage::test {

class FaultyVfs {
  public:
    static constexpr const char* kName = "wardgate-faulty";

    // Registers the VFS (idempotent).
    static void install();
    // Fails the `nth` write-side operation from now on (1 = the next one) with
    // `errorCode` (e.g. SQLITE_IOERR_WRITE or SQLITE_FULL); `persistent`
    // also fails every operation after it.
    static void arm(int nth, int errorCode, bool persistent);
    static void disarm();
    // Write-side operations seen since the last arm() or disarm().
    [[nodiscard]] static int operations();
    // Failures injected since the last arm().
    [[nodiscard]] static int failures();
};

}  // namespace wardgate::storage::test

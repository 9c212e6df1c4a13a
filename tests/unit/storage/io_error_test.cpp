// I/O-error and disk-full tests through a shim VFS (SECURITY.md 6.4, G4/G5):
// storeWindow must report the failure as an error code, never throw, never
// lose a window it acknowledged, and the file must pass integrity_check.

#include "faulty_vfs.hpp"
#include "storage_fixtures.hpp"

#include <limits>
#include <set>

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include "storage/database.hpp"
#include "storage/vault.hpp"

using namespace wardgate::storage;
using namespace wardgate::storage::test;

namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
constexpr std::int64_t kStart = 1'699'920'000'000;  // a UTC midnight

VaultOptions faultyOptions() {
    FaultyVfs::install();
    VaultOptions options;
    options.vfsName = FaultyVfs::kName;
    return options;
}

struct Disarm {
    Disarm() = default;
    Disarm(const Disarm&) = delete;
    Disarm& operator=(const Disarm&) = delete;
    Disarm(Disarm&&) = delete;
    Disarm& operator=(Disarm&&) = delete;
    ~Disarm() { FaultyVfs::disarm(); }
};

std::string integrityOf(const std::filesystem::path& db) {
    auto raw = Database::open(db, {"", false});
    return raw.queryText("PRAGMA integrity_check").value_or("no result");
}

std::set<std::int64_t> openedStarts(Vault& vault, const ParticipantId& id, const KeyPair& keys) {
    std::set<std::int64_t> starts;
    for (const auto& row :
         openRecords(vault.sealedRecordsFor(id), keys.publicKey, keys.secretKey)) {
        starts.insert(row.windowStartMs);
    }
    return starts;
}

}  // namespace

TEST_CASE("A failing write returns an I/O error code and keeps every committed window") {
    TempDir dir;
    const Disarm disarm;
    const auto db = dir.file("vault.db");
    auto vault = Vault::open(db, faultyOptions());
    auto p = makeParticipant("AA:00:00:00:00:01", "pw");
    const auto id = vault->enrol(p.enrolment);
    REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, kStart, kStart + 1, bytesOf("kept")));

    FaultyVfs::arm(1, SQLITE_IOERR_WRITE, true);
    CHECK(vault->storeWindow(id, Signal::Hrv, kStart + 10, kStart + 11, bytesOf("lost")) ==
          VaultErrc::IoError);
    CHECK(FaultyVfs::failures() > 0);
    FaultyVfs::disarm();

    REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, kStart + 20, kStart + 21, bytesOf("after")));
    CHECK(openedStarts(*vault, id, p.keys) == std::set<std::int64_t>{kStart, kStart + 20});
    vault.reset();
    CHECK(integrityOf(db) == "ok");
}

TEST_CASE(
    "A full disk returns DiskFull and keeps committed windows and resumes when space returns") {
    TempDir dir;
    const Disarm disarm;
    const auto db = dir.file("vault.db");
    auto vault = Vault::open(db, faultyOptions());
    auto p = makeParticipant("AA:00:00:00:00:01", "pw");
    const auto id = vault->enrol(p.enrolment);
    REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, kStart, kStart + 1, bytesOf("kept")));

    FaultyVfs::arm(1, SQLITE_FULL, true);
    // A new epoch: the failed transaction also carried a new sealed key, which
    // must not be held afterwards.
    CHECK(vault->storeWindow(id, Signal::Hrv, kStart + kDayMs, kStart + kDayMs + 1, {}) ==
          VaultErrc::DiskFull);
    CHECK(vault->storeWindow(id, Signal::Hrv, kStart + 5, kStart + 6, {}) == VaultErrc::DiskFull);
    FaultyVfs::disarm();

    REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, kStart + kDayMs, kStart + kDayMs + 1, {}));
    const auto records = vault->sealedRecordsFor(id);
    CHECK(records.rows.size() == 2);
    CHECK(records.epochKeys.size() == 2);
    CHECK(openRecords(records, p.keys.publicKey, p.keys.secretKey).size() == 2);
    vault.reset();
    CHECK(integrityOf(db) == "ok");
}

TEST_CASE("Failing each write step of a window transaction in turn loses no acknowledged window") {
    TempDir dir;
    const Disarm disarm;
    const auto db = dir.file("vault.db");
    auto p = makeParticipant("AA:00:00:00:00:01", "pw");
    std::set<std::int64_t> acknowledged;
    std::set<std::int64_t> attempted;
    ParticipantId id = ParticipantId::random();
    {
        auto vault = Vault::open(db, faultyOptions());
        id = vault->enrol(p.enrolment);
        const bool persistent = GENERATE(false, true);
        // Count the write-side operations of one clean new-epoch window.
        FaultyVfs::arm(std::numeric_limits<int>::max(), SQLITE_IOERR_WRITE, false);
        REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, kStart - kDayMs, kStart, bytesOf("w")));
        const int steps = FaultyVfs::operations();
        FaultyVfs::disarm();
        acknowledged.insert(kStart - kDayMs);
        attempted.insert(kStart - kDayMs);
        REQUIRE(steps >= 2);  // at least the WAL frames and the sync

        int failuresSeen = 0;
        // Every step opens a new epoch so the key-sealing path is exercised too.
        for (int nth = 1; nth <= steps + 1; ++nth) {
            const auto start = kStart + nth * kDayMs;
            attempted.insert(start);
            FaultyVfs::arm(nth, SQLITE_IOERR_WRITE, persistent);
            const auto ec = vault->storeWindow(id, Signal::Hrv, start, start + 1, bytesOf("w"));
            failuresSeen += FaultyVfs::failures();
            FaultyVfs::disarm();
            if (!ec) {
                acknowledged.insert(start);
            } else {
                CHECK(ec.category() == vaultCategory());
            }
        }
        CHECK(failuresSeen > 0);
        REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, kStart, kStart + 1, bytesOf("w")));
        acknowledged.insert(kStart);
        attempted.insert(kStart);
    }
    CHECK(integrityOf(db) == "ok");
    auto vault = Vault::open(db);
    const auto present = openedStarts(*vault, id, p.keys);
    for (const auto start : acknowledged) {
        CHECK(present.count(start) == 1);
    }
    for (const auto start : present) {
        CHECK(attempted.count(start) == 1);
    }
}

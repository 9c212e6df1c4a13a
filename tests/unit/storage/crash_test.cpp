// A first crash test (issue 6 scales it up): a child process writes windows
// and reports each one after storeWindow returns; the parent SIGKILLs it at a
// random moment, then checks that the file passes integrity_check and that
// every acknowledged window is present and opens with the participant's key.

#include "storage_fixtures.hpp"

#include <array>
#include <csignal>
#include <random>
#include <set>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "storage/database.hpp"
#include "storage/vault.hpp"

using namespace wardgate::storage;
using namespace wardgate::storage::test;

namespace {

constexpr std::int64_t kStart = 1'699'920'000'000;
constexpr std::int64_t kHopMs = 60'000;
constexpr int kKills = 8;

// The child: never returns. Writes windows after `firstStart` and reports
// each acknowledged start on `fd`, until killed.
[[noreturn]] void ingestUntilKilled(const std::filesystem::path& db, const ParticipantId& id,
                                    std::int64_t firstStart, int fd) {
    try {
        auto vault = Vault::open(db);
        for (std::int64_t start = firstStart;; start += kHopMs) {
            if (!vault->storeWindow(id, Signal::Hrv, start, start + kHopMs, bytesOf("w"))) {
                if (::write(fd, &start, sizeof start) != static_cast<ssize_t>(sizeof start)) {
                    ::_exit(3);
                }
            }
        }
    } catch (...) {
        ::_exit(2);
    }
}

std::set<std::int64_t> readAcknowledged(int fd) {
    std::set<std::int64_t> acked;
    std::int64_t start = 0;
    while (::read(fd, &start, sizeof start) == static_cast<ssize_t>(sizeof start)) {
        acked.insert(start);
    }
    return acked;
}

}  // namespace

TEST_CASE("After SIGKILL during ingest every acknowledged window is present and opens") {
    TempDir dir;
    const auto db = dir.file("vault.db");
    auto p = makeParticipant("AA:00:00:00:00:01", "pw");
    const auto id = Vault::open(db)->enrol(p.enrolment);
    std::mt19937 rng(20261203);
    std::uniform_int_distribution<int> delayMs(20, 200);
    std::set<std::int64_t> acknowledged;
    std::int64_t nextStart = kStart;

    for (int kill = 0; kill < kKills; ++kill) {
        std::array<int, 2> fds{};
        REQUIRE(::pipe(fds.data()) == 0);
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            ::close(fds[0]);
            ingestUntilKilled(db, id, nextStart, fds[1]);
        }
        ::close(fds[1]);
        std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(rng)));
        ::kill(child, SIGKILL);
        int status = 0;
        ::waitpid(child, &status, 0);
        CHECK(WIFSIGNALED(status));
        const auto acked = readAcknowledged(fds[0]);
        ::close(fds[0]);
        acknowledged.insert(acked.begin(), acked.end());
        // The window in flight at the kill may or may not have committed:
        // continue well past it so starts never collide.
        nextStart = (acknowledged.empty() ? kStart : *acknowledged.rbegin()) + 1000 * kHopMs;

        auto raw = Database::open(db, {"", false});
        CHECK(raw.queryText("PRAGMA integrity_check") == "ok");
    }

    auto vault = Vault::open(db);
    const auto rows = openRecords(vault->sealedRecordsFor(id), p.keys.publicKey, p.keys.secretKey);
    std::set<std::int64_t> present;
    for (const auto& row : rows) {
        present.insert(row.windowStartMs);
    }
    CHECK(acknowledged.size() > static_cast<std::size_t>(kKills));
    for (const auto start : acknowledged) {
        CHECK(present.count(start) == 1);
    }
}

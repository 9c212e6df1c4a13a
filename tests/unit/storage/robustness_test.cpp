// Hostile or unlucky surroundings: a lock held by another process, corrupt
// files, symlinks, directories, malformed JSON from the control socket.

#include "storage_fixtures.hpp"

#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "storage/database.hpp"
#include "storage/vault.hpp"

using namespace wardgate::storage;
using namespace wardgate::storage::test;

namespace {

constexpr std::int64_t kStart = 1'699'920'000'000;

VaultOptions shortTimeout() {
    VaultOptions options;
    options.busyTimeout = std::chrono::milliseconds{50};
    return options;
}

void overwrite(const std::filesystem::path& file, std::streamoff offset, std::size_t length) {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(f);
    f.seekp(offset);
    const std::string junk(length, '\xa5');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
}

std::filesystem::path vaultWithRows(const TempDir& dir, int rows) {
    auto db = dir.file("vault.db");
    auto vault = Vault::open(db);
    const auto id = vault->enrol(makeParticipant("AA:00:00:00:00:01", "pw").enrolment);
    for (int i = 0; i < rows; ++i) {
        const auto start = kStart + i * 60'000LL;
        REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, start, start + 1,
                                         std::vector<std::uint8_t>(200, 0x42)));
    }
    return db;
}

}  // namespace

TEST_CASE("A window written while another process holds the write lock returns Busy") {
    TempDir dir;
    const auto db = dir.file("vault.db");
    auto vault = Vault::open(db, shortTimeout());
    auto p = makeParticipant("AA:00:00:00:00:01", "pw");
    const auto id = vault->enrol(p.enrolment);

    auto other = Database::open(db, {"", false});
    other.exec("BEGIN IMMEDIATE");
    CHECK(vault->storeWindow(id, Signal::Hrv, kStart, kStart + 1, bytesOf("x")) == VaultErrc::Busy);
    CHECK(vault->heldEpochKeyCount() == 0);
    other.exec("COMMIT");
    CHECK_FALSE(vault->storeWindow(id, Signal::Hrv, kStart, kStart + 1, bytesOf("x")));
    CHECK(openRecords(vault->sealedRecordsFor(id), p.keys.publicKey, p.keys.secretKey).size() == 1);
}

TEST_CASE("Creating a vault while another process holds the file locked names the lock") {
    TempDir dir;
    const auto db = dir.file("vault.db");
    auto other = Database::open(db);
    other.exec("BEGIN EXCLUSIVE");
    CHECK_THROWS_WITH(Vault::open(db, shortTimeout()),
                      Catch::Contains("vault.db") && Catch::Contains("locked"));
    other.exec("COMMIT");
}

TEST_CASE("A vault with a smashed header is reported as not a database") {
    TempDir dir;
    const auto db = vaultWithRows(dir, 5);
    overwrite(db, 0, 16);
    CHECK_THROWS_WITH(Vault::open(db),
                      Catch::Contains("vault.db") && Catch::Contains("not a SQLite database"));
}

TEST_CASE("A vault with corrupt pages is refused at open and never half-used") {
    TempDir dir;
    const auto db = vaultWithRows(dir, 200);
    const auto size = static_cast<std::streamoff>(std::filesystem::file_size(db));
    REQUIRE(size > std::streamoff{8} * 4096);
    // Smash the middle of every page after the first: b-tree headers and cells.
    for (std::streamoff page = 4096; page + 4096 <= size; page += 4096) {
        overwrite(db, page, 64);
    }
    CHECK_THROWS_WITH(Vault::open(db),
                      Catch::Contains("vault.db") &&
                          (Catch::Contains("corrupt") || Catch::Contains("quick_check")));
}

TEST_CASE("A vault path that is a symlink is refused") {
    TempDir dir;
    const auto real = dir.file("real.db");
    (void)Vault::open(real);
    const auto link = dir.file("link.db");
    std::filesystem::create_symlink(real, link);
    CHECK_THROWS_WITH(Vault::open(link),
                      Catch::Contains("link.db") && Catch::Contains("symbolic link"));
}

TEST_CASE("A vault path that is a directory is refused with the path named") {
    TempDir dir;
    CHECK_THROWS_WITH(Vault::open(dir.path()), Catch::Contains(dir.path().string()));
}

TEST_CASE("Malformed sealed-record JSON is rejected with an exception and never trusted") {
    TempDir dir;
    auto vault = Vault::open(dir.file("vault.db"));
    auto p = makeParticipant("AA:00:00:00:00:01", "pw");
    const auto id = vault->enrol(p.enrolment);
    REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, kStart, kStart + 1, bytesOf("x")));
    const nlohmann::json good = vault->sealedRecordsFor(id);

    const auto rejects = [&](const std::function<void(nlohmann::json&)>& mutate) {
        auto j = good;
        mutate(j);
        CHECK_THROWS(j.get<SealedRecords>());
    };
    rejects([](auto& j) { j.erase("rows"); });
    rejects([](auto& j) { j["participant"] = "p-123"; });
    rejects([](auto& j) { j["participantKey"] = "AAAA"; });
    rejects([](auto& j) { j["rows"][0]["signal"] = "ecg"; });
    rejects([](auto& j) { j["rows"][0]["nonce"] = "AAAA"; });
    rejects([](auto& j) { j["rows"][0]["keyId"] = "xyz"; });
    rejects([](auto& j) { j["rows"][0]["ciphertext"] = "!!"; });
    rejects([](auto& j) { j["rows"][0]["windowStartMs"] = "soon"; });
    rejects([](auto& j) { j["epochKeys"][0]["keyId"] = "00"; });
    rejects([](auto& j) { j["wrappedKey"]["kdf"] = "pbkdf2"; });
    rejects([](auto& j) { j["rows"] = 7; });
}

TEST_CASE("A truncated ciphertext from outside fails authentication without overreading") {
    TempDir dir;
    auto vault = Vault::open(dir.file("vault.db"));
    auto p = makeParticipant("AA:00:00:00:00:01", "pw");
    const auto id = vault->enrol(p.enrolment);
    REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, kStart, kStart + 1, bytesOf("x")));
    auto records = vault->sealedRecordsFor(id);
    records.rows[0].ciphertext.resize(5);
    CHECK_THROWS_WITH(openRecords(records, p.keys.publicKey, p.keys.secretKey),
                      Catch::Contains("truncated"));
    records.rows[0].ciphertext.clear();
    CHECK_THROWS_AS(openRecords(records, p.keys.publicKey, p.keys.secretKey),
                    RecordAuthenticationError);
    records.epochKeys[0].sealed.resize(3);
    CHECK_THROWS_AS(openRecords(records, p.keys.publicKey, p.keys.secretKey),
                    RecordAuthenticationError);
}

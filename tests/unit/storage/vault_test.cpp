#include "storage/vault.hpp"

#include "storage_fixtures.hpp"

#include <fstream>

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "storage/database.hpp"
#include "storage/schema.hpp"

using namespace wardgate::storage;
using wardgate::storage::test::bytesOf;
using wardgate::storage::test::makeParticipant;
using wardgate::storage::test::TempDir;

namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kDay0 = 20'000 * kDayMs;  // a UTC midnight in 2024
constexpr std::int64_t kEightHoursMs = 8LL * 3600 * 1000;

std::string text(const std::vector<std::uint8_t>& bytes) {
    return {bytes.begin(), bytes.end()};
}

std::int64_t count(const std::filesystem::path& db, const std::string& sql) {
    auto raw = Database::open(db, {"", false});
    return raw.queryInt64(sql);
}

}  // namespace

TEST_CASE("A vault enrols a participant and finds them by id and by band") {
    TempDir dir;
    auto vault = Vault::open(dir.file("vault.db"));
    auto p = makeParticipant("AA:BB:CC:DD:EE:01", "pw");

    const auto id = vault->enrol(p.enrolment);
    const auto byId = vault->find(id);
    REQUIRE(byId);
    CHECK(byId->id == id);
    CHECK(byId->bandAddress == "AA:BB:CC:DD:EE:01");
    CHECK(byId->signals.toString() == "hrv,eda");
    CHECK(byId->participantKey == p.keys.publicKey);
    CHECK_FALSE(byId->providerKey);
    CHECK(byId->consentVersion == "consent-v1");
    CHECK(byId->enrolledAtMs > 0);

    const auto byBand = vault->findByBand("AA:BB:CC:DD:EE:01");
    REQUIRE(byBand);
    CHECK(byBand->id == id);
    CHECK_FALSE(vault->findByBand("AA:BB:CC:DD:EE:02"));
    CHECK_FALSE(vault->find(ParticipantId::random()));
    CHECK(vault->participants().size() == 1);
}

TEST_CASE("Enrolling a band that is already enrolled is refused with a clear message") {
    TempDir dir;
    auto vault = Vault::open(dir.file("vault.db"));
    auto first = makeParticipant("AA:BB:CC:DD:EE:01", "pw");
    auto second = makeParticipant("AA:BB:CC:DD:EE:01", "other");
    (void)vault->enrol(first.enrolment);
    CHECK_THROWS_WITH(vault->enrol(second.enrolment),
                      Catch::Contains("already enrolled") && Catch::Contains("vault.db"));
    CHECK(vault->participants().size() == 1);
}

TEST_CASE("Enrolment with an unusable public key or a malformed wrapped key is refused") {
    TempDir dir;
    auto vault = Vault::open(dir.file("vault.db"));
    auto p = makeParticipant("AA:BB:CC:DD:EE:01", "pw");
    auto zeroKey = p.enrolment;
    zeroKey.participantKey = PublicKey{};
    CHECK_THROWS_WITH(vault->enrol(zeroKey), Catch::Contains("unusable public key"));
    auto zeroProvider = p.enrolment;
    zeroProvider.providerKey = PublicKey{};
    CHECK_THROWS_AS(vault->enrol(zeroProvider), VaultError);
    auto shortWrap = p.enrolment;
    shortWrap.wrappedKey.ciphertext.resize(20);
    CHECK_THROWS_WITH(vault->enrol(shortWrap), Catch::Contains("malformed wrapped key"));
    auto hugeCost = p.enrolment;
    hugeCost.wrappedKey.memLimitBytes = 1ULL << 40;
    CHECK_THROWS_AS(vault->enrol(hugeCost), VaultError);
    CHECK(vault->participants().empty());
    CHECK_NOTHROW((void)vault->enrol(p.enrolment));
}

TEST_CASE("Enrolment without a signal or a consent version is refused") {
    TempDir dir;
    auto vault = Vault::open(dir.file("vault.db"));
    auto p = makeParticipant("AA:BB:CC:DD:EE:01", "pw", SignalSet{});
    CHECK_THROWS_AS(vault->enrol(p.enrolment), VaultError);
    p.enrolment.signals = SignalSet{Signal::Hrv};
    p.enrolment.consentVersion.clear();
    CHECK_THROWS_AS(vault->enrol(p.enrolment), VaultError);
    CHECK(vault->participants().empty());
}

TEST_CASE("Stored windows read back in window order with the passphrase-unwrapped key") {
    TempDir dir;
    auto vault = Vault::open(dir.file("vault.db"));
    auto p = makeParticipant("AA:BB:CC:DD:EE:01", "secret pass");
    const auto id = vault->enrol(p.enrolment);

    REQUIRE_FALSE(vault->storeWindow(id, Signal::Eda, kDay0 + kMinuteMs, kDay0 + 2 * kMinuteMs,
                                     bytesOf(R"({"scl":2.5})")));
    REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, kDay0, kDay0 + 5 * kMinuteMs,
                                     bytesOf(R"({"rmssd":41.2})")));
    REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, kDay0 + kMinuteMs, kDay0 + 6 * kMinuteMs,
                                     bytesOf(R"({"rmssd":39.0})")));

    const auto records = vault->sealedRecordsFor(id);
    REQUIRE(records.rows.size() == 3);
    CHECK(records.epochKeys.size() == 1);

    // The client side: passphrase -> secret key -> epoch key -> rows.
    const auto sk = unwrapSecretKey(records.wrappedKey, "secret pass");
    REQUIRE(sk);
    const auto rows = openRecords(records, records.participantKey, *sk);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].signal == Signal::Hrv);
    CHECK(rows[0].windowStartMs == kDay0);
    CHECK(rows[0].windowEndMs == kDay0 + 5 * kMinuteMs);
    CHECK(text(rows[0].plaintext) == R"({"rmssd":41.2})");
    CHECK(rows[1].signal == Signal::Hrv);  // same start: hrv (1) sorts before eda (2)
    CHECK(text(rows[1].plaintext) == R"({"rmssd":39.0})");
    CHECK(rows[2].signal == Signal::Eda);
    CHECK(text(rows[2].plaintext) == R"({"scl":2.5})");

    CHECK_FALSE(unwrapSecretKey(records.wrappedKey, "wrong pass"));
}

TEST_CASE("Sealed records survive the JSON form of the control socket") {
    TempDir dir;
    auto vault = Vault::open(dir.file("vault.db"));
    auto p = makeParticipant("AA:BB:CC:DD:EE:01", "pw");
    const auto id = vault->enrol(p.enrolment);
    REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, kDay0, kDay0 + 1, bytesOf("one")));
    REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, kDay0 + kDayMs, kDay0 + kDayMs + 1, {}));

    const nlohmann::json j = vault->sealedRecordsFor(id);
    const auto back = nlohmann::json::parse(j.dump()).get<SealedRecords>();
    CHECK(back.participant == id);
    CHECK(back.epochKeys.size() == 2);
    const auto rows = openRecords(back, p.keys.publicKey, p.keys.secretKey);
    REQUIRE(rows.size() == 2);
    CHECK(text(rows[0].plaintext) == "one");
    CHECK(rows[1].plaintext.empty());
}

TEST_CASE("sealedRecordsFor returns only windows starting in the half-open range it is given") {
    TempDir dir;
    auto vault = Vault::open(dir.file("vault.db"));
    auto p = makeParticipant("AA:BB:CC:DD:EE:01", "pw");
    const auto id = vault->enrol(p.enrolment);
    for (std::int64_t day = 0; day < 3; ++day) {
        REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, kDay0 + day * kDayMs,
                                         kDay0 + day * kDayMs + kMinuteMs, bytesOf("x")));
    }
    const auto middle = vault->sealedRecordsFor(id, kDay0 + kDayMs, kDay0 + 2 * kDayMs);
    REQUIRE(middle.rows.size() == 1);
    CHECK(middle.rows[0].windowStartMs == kDay0 + kDayMs);
    CHECK(middle.epochKeys.size() == 1);
    CHECK(vault->sealedRecordsFor(id, kDay0 + kDayMs).rows.size() == 2);
    CHECK(vault->sealedRecordsFor(id, std::nullopt, kDay0 + 1).rows.size() == 1);
    CHECK_THROWS_AS(vault->sealedRecordsFor(ParticipantId::random()), VaultError);
}

TEST_CASE("A window of a signal without consent is dropped and never stored") {
    TempDir dir;
    auto vault = Vault::open(dir.file("vault.db"));
    auto p = makeParticipant("AA:BB:CC:DD:EE:01", "pw", SignalSet{Signal::Hrv});
    const auto id = vault->enrol(p.enrolment);
    CHECK(vault->storeWindow(id, Signal::Eda, kDay0, kDay0 + 1, bytesOf("x")) ==
          VaultErrc::SignalNotConsented);
    CHECK(vault->storeWindow(ParticipantId::random(), Signal::Hrv, kDay0, kDay0 + 1, {}) ==
          VaultErrc::UnknownParticipant);
    CHECK(vault->storeWindow(id, Signal::Hrv, kDay0, kDay0 - 1, {}) == VaultErrc::InvalidWindow);
    CHECK(vault->storeWindow(id, static_cast<Signal>(3), kDay0, kDay0 + 1, {}) ==
          VaultErrc::InvalidWindow);
    CHECK(vault->stats().rows == 0);
    CHECK(vault->heldEpochKeyCount() == 0);
}

TEST_CASE("Storing the same window twice is refused and the first copy is kept") {
    TempDir dir;
    auto vault = Vault::open(dir.file("vault.db"));
    auto p = makeParticipant("AA:BB:CC:DD:EE:01", "pw");
    const auto id = vault->enrol(p.enrolment);
    REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, kDay0, kDay0 + 1, bytesOf("first")));
    CHECK(vault->storeWindow(id, Signal::Hrv, kDay0, kDay0 + 1, bytesOf("again")) ==
          VaultErrc::DuplicateWindow);
    const auto rows = openRecords(vault->sealedRecordsFor(id), p.keys.publicKey, p.keys.secretKey);
    REQUIRE(rows.size() == 1);
    CHECK(text(rows[0].plaintext) == "first");
}

TEST_CASE("Epoch roll-over seals a new key and no longer holds the old one") {
    TempDir dir;
    const auto db = dir.file("vault.db");
    auto vault = Vault::open(db);
    auto p = makeParticipant("AA:BB:CC:DD:EE:01", "pw");
    const auto id = vault->enrol(p.enrolment);

    REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, kDay0 + 10, kDay0 + 20, bytesOf("d0a")));
    REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, kDay0 + 30, kDay0 + 40, bytesOf("d0b")));
    CHECK(count(db, "SELECT count(*) FROM epoch_keys") == 1);
    CHECK(vault->heldEpochKeyCount() == 1);

    REQUIRE_FALSE(
        vault->storeWindow(id, Signal::Hrv, kDay0 + kDayMs, kDay0 + kDayMs + 10, bytesOf("d1")));
    CHECK(count(db, "SELECT count(*) FROM epoch_keys") == 2);
    CHECK(vault->heldEpochKeyCount() == 1);

    // A late window of day 0 cannot reuse the wiped key: it gets a one-shot key,
    // and the next late window another one.
    REQUIRE_FALSE(vault->storeWindow(id, Signal::Eda, kDay0 + 50, kDay0 + 60, bytesOf("late1")));
    REQUIRE_FALSE(vault->storeWindow(id, Signal::Eda, kDay0 + 70, kDay0 + 80, bytesOf("late2")));
    CHECK(count(db, "SELECT count(*) FROM epoch_keys") == 4);
    CHECK(count(db, "SELECT count(DISTINCT key_id) FROM windows") == 4);
    CHECK(vault->heldEpochKeyCount() == 1);

    // Day 1's key is still held: another day-1 window reuses it.
    REQUIRE_FALSE(vault->storeWindow(id, Signal::Eda, kDay0 + kDayMs + 5, kDay0 + kDayMs + 9,
                                     bytesOf("d1b")));
    CHECK(count(db, "SELECT count(*) FROM epoch_keys") == 4);

    const auto records = vault->sealedRecordsFor(id);
    CHECK(records.epochKeys.size() == 4);
    CHECK(records.epochKeys.front().epoch == kDay0 / kDayMs);
    const auto rows = openRecords(records, p.keys.publicKey, p.keys.secretKey);
    CHECK(rows.size() == 6);

    vault->closeAllEpochs();
    CHECK(vault->heldEpochKeyCount() == 0);
}

TEST_CASE("Epoch length is configurable and epochs before 1970 are floored") {
    TempDir dir;
    const auto db = dir.file("vault.db");
    VaultOptions options;
    options.epochLength = std::chrono::hours{8};
    auto vault = Vault::open(db, options);
    auto p = makeParticipant("AA:BB:CC:DD:EE:01", "pw");
    const auto id = vault->enrol(p.enrolment);
    REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, -1, 0, bytesOf("a")));
    REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, 0, 1, bytesOf("b")));
    REQUIRE_FALSE(
        vault->storeWindow(id, Signal::Hrv, kEightHoursMs - 1, kEightHoursMs, bytesOf("c")));
    const auto records = vault->sealedRecordsFor(id);
    REQUIRE(records.epochKeys.size() == 2);
    CHECK(records.epochKeys[0].epoch == -1);
    CHECK(records.epochKeys[1].epoch == 0);
}

TEST_CASE("After a restart a new key is created for the same epoch and old rows still open") {
    TempDir dir;
    const auto db = dir.file("vault.db");
    auto p = makeParticipant("AA:BB:CC:DD:EE:01", "pw");
    ParticipantId id = ParticipantId::random();
    {
        auto vault = Vault::open(db);
        id = vault->enrol(p.enrolment);
        REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, kDay0, kDay0 + 1, bytesOf("before")));
    }
    auto vault = Vault::open(db);
    REQUIRE(vault->find(id));
    REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, kDay0 + 5, kDay0 + 6, bytesOf("after")));
    const auto records = vault->sealedRecordsFor(id);
    REQUIRE(records.epochKeys.size() == 2);
    CHECK(records.epochKeys[0].epoch == records.epochKeys[1].epoch);
    CHECK(records.rows[0].keyId != records.rows[1].keyId);
    const auto rows = openRecords(records, p.keys.publicKey, p.keys.secretKey);
    REQUIRE(rows.size() == 2);
    CHECK(text(rows[0].plaintext) == "before");
    CHECK(text(rows[1].plaintext) == "after");
}

TEST_CASE("A chosen provider receives its own sealed copy of every epoch key") {
    TempDir dir;
    const auto db = dir.file("vault.db");
    auto vault = Vault::open(db);
    auto p = makeParticipant("AA:BB:CC:DD:EE:01", "pw");
    const auto provider = generateKeyPair();
    p.enrolment.providerKey = provider.publicKey;
    const auto id = vault->enrol(p.enrolment);
    CHECK(vault->find(id)->providerKey == provider.publicKey);
    REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, kDay0, kDay0 + 1, bytesOf("x")));

    auto raw = Database::open(db, {"", false});
    auto stmt = raw.prepare("SELECT sealed FROM sealed_epoch_keys WHERE recipient = 2");
    REQUIRE(stmt.step());
    const auto envelope = openSealed(provider.publicKey, provider.secretKey, stmt.columnBlob(0));
    REQUIRE(envelope);
    CHECK(envelope->size() == 64);
    // The participant's sealed copy is a different box that the provider cannot open.
    const auto records = vault->sealedRecordsFor(id);
    CHECK_FALSE(openSealed(provider.publicKey, provider.secretKey, records.epochKeys[0].sealed));
}

TEST_CASE("Withdrawal removes the participant with their rows and keys and nothing else") {
    TempDir dir;
    const auto db = dir.file("vault.db");
    auto vault = Vault::open(db);
    auto leaver = makeParticipant("AA:BB:CC:DD:EE:01", "pw");
    auto stayer = makeParticipant("AA:BB:CC:DD:EE:02", "pw2");
    const auto leaverId = vault->enrol(leaver.enrolment);
    const auto stayerId = vault->enrol(stayer.enrolment);
    for (std::int64_t i = 0; i < 5; ++i) {
        REQUIRE_FALSE(vault->storeWindow(leaverId, Signal::Hrv, kDay0 + i, kDay0 + i + 1, {}));
        REQUIRE_FALSE(vault->storeWindow(stayerId, Signal::Hrv, kDay0 + i, kDay0 + i + 1, {}));
    }
    REQUIRE(vault->heldEpochKeyCount() == 2);

    vault->withdraw(leaverId);
    CHECK_FALSE(vault->find(leaverId));
    CHECK_FALSE(vault->findByBand("AA:BB:CC:DD:EE:01"));
    CHECK(vault->heldEpochKeyCount() == 1);
    CHECK(vault->storeWindow(leaverId, Signal::Hrv, kDay0 + 9, kDay0 + 10, {}) ==
          VaultErrc::UnknownParticipant);
    CHECK(vault->stats().participants == 1);
    CHECK(vault->stats().rows == 5);
    CHECK(vault->stats().walBytes == 0);
    for (const char* table : {"wrapped_keys", "consents", "epoch_keys", "sealed_epoch_keys"}) {
        CHECK(count(db, std::string("SELECT count(*) FROM ") + table) == 1);
    }
    CHECK(
        openRecords(vault->sealedRecordsFor(stayerId), stayer.keys.publicKey, stayer.keys.secretKey)
            .size() == 5);

    vault->withdraw(leaverId);  // idempotent
    // The band can be enrolled again, under a new id.
    const auto again = vault->enrol(leaver.enrolment);
    CHECK(again != leaverId);
}

TEST_CASE("A checkpoint empties the WAL and keeps every window") {
    TempDir dir;
    auto vault = Vault::open(dir.file("vault.db"));
    auto p = makeParticipant("AA:BB:CC:DD:EE:01", "pw");
    const auto id = vault->enrol(p.enrolment);
    for (std::int64_t i = 0; i < 10; ++i) {
        REQUIRE_FALSE(vault->storeWindow(id, Signal::Hrv, kDay0 + i, kDay0 + i + 1, {}));
    }
    CHECK(vault->stats().walBytes > 0);
    CHECK_FALSE(vault->checkpoint());
    CHECK(vault->stats().walBytes == 0);
    CHECK(vault->stats().rows == 10);
    CHECK(openRecords(vault->sealedRecordsFor(id), p.keys.publicKey, p.keys.secretKey).size() ==
          10);
}

TEST_CASE("A vault reopens with its data and records its schema version") {
    TempDir dir;
    const auto db = dir.file("vault.db");
    {
        auto vault = Vault::open(db);
        (void)vault->enrol(makeParticipant("AA:BB:CC:DD:EE:01", "pw").enrolment);
    }
    auto vault = Vault::open(db);
    CHECK(vault->participants().size() == 1);
    auto raw = Database::open(db, {"", false});
    CHECK(schemaVersionOf(raw) == kSchemaVersion);
    CHECK(raw.queryInt64("PRAGMA application_id") == kVaultApplicationId);
    CHECK(raw.queryText("PRAGMA journal_mode") == "wal");
}

TEST_CASE("A new vault file and its WAL are readable by the owner only") {
    TempDir dir;
    const auto db = dir.file("vault.db");
    auto vault = Vault::open(db);
    (void)vault->enrol(makeParticipant("AA:BB:CC:DD:EE:01", "pw").enrolment);
    for (const auto& file : wardgate::storage::test::vaultFiles(db)) {
        struct stat st {};
        REQUIRE(::stat(file.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
    }
}

TEST_CASE("Opening a file that is not a database names the file and the problem") {
    TempDir dir;
    const auto path = dir.file("junk.db");
    std::ofstream(path) << std::string(4096, 'x');
    CHECK_THROWS_WITH(Vault::open(path),
                      Catch::Contains("junk.db") && Catch::Contains("not a SQLite database"));
}

TEST_CASE("Opening a SQLite database that is not a vault is refused") {
    TempDir dir;
    const auto path = dir.file("other.db");
    {
        auto raw = Database::open(path);
        raw.exec("CREATE TABLE t (x INTEGER)");
    }
    CHECK_THROWS_WITH(Vault::open(path),
                      Catch::Contains("other.db") && Catch::Contains("not a wardgate vault"));
}

TEST_CASE("A vault written by a newer build is refused rather than guessed at") {
    TempDir dir;
    const auto path = dir.file("vault.db");
    (void)Vault::open(path);
    {
        auto raw = Database::open(path, {"", false});
        raw.exec("INSERT INTO schema_migrations VALUES (" + std::to_string(kSchemaVersion + 1) +
                 ", 0)");
    }
    CHECK_THROWS_WITH(Vault::open(path), Catch::Contains("newer than this build"));
}

TEST_CASE("Opening a vault where the directory is missing or not writable names the reason") {
    TempDir dir;
    CHECK_THROWS_WITH(Vault::open(dir.file("missing/vault.db")),
                      Catch::Contains("missing/vault.db") && Catch::Contains("No such file"));
    if (::geteuid() == 0) {
        return;  // root ignores permission bits
    }
    const auto locked = dir.file("locked");
    std::filesystem::create_directory(locked);
    std::filesystem::permissions(
        locked, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    CHECK_THROWS_WITH(Vault::open(locked / "vault.db"), Catch::Contains("Permission denied"));
    std::filesystem::permissions(locked, std::filesystem::perms::owner_all);
}

TEST_CASE("A vault file that is not writable is refused rather than opened read-only") {
    if (::geteuid() == 0) {
        return;  // root ignores permission bits
    }
    TempDir dir;
    const auto db = dir.file("vault.db");
    (void)Vault::open(db);
    std::filesystem::permissions(db, std::filesystem::perms::owner_read);
    CHECK_THROWS_WITH(Vault::open(db),
                      Catch::Contains("vault.db") && Catch::Contains("not writable"));
    std::filesystem::permissions(
        db, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_CASE("A zero or negative epoch length is refused") {
    TempDir dir;
    VaultOptions options;
    options.epochLength = std::chrono::seconds{0};
    CHECK_THROWS_AS(Vault::open(dir.file("vault.db"), options), VaultError);
}

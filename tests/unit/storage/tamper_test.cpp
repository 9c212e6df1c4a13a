// Tamper tests: someone with write access to the vault file moves, relabels,
// replays or corrupts rows. Every case must fail authentication in the
// participant's client (openRecords), never yield wrong plaintext.

#include "storage_fixtures.hpp"

#include <catch2/catch.hpp>

#include "storage/database.hpp"
#include "storage/vault.hpp"

using namespace wardgate::storage;
using wardgate::storage::test::bytesOf;
using wardgate::storage::test::makeParticipant;
using wardgate::storage::test::TempDir;

namespace {

constexpr std::int64_t kStart = 1'700'000'000'000;

struct TamperScene {
    TempDir dir;
    std::filesystem::path db = dir.file("vault.db");
    std::unique_ptr<Vault> vault = Vault::open(db);
    wardgate::storage::test::TestParticipant alice = makeParticipant("AA:00:00:00:00:01", "a");
    wardgate::storage::test::TestParticipant bob = makeParticipant("AA:00:00:00:00:02", "b");
    ParticipantId aliceId = vault->enrol(alice.enrolment);
    ParticipantId bobId = vault->enrol(bob.enrolment);

    TamperScene() {
        for (std::int64_t i = 0; i < 3; ++i) {
            const auto start = kStart + i * 60'000;
            REQUIRE_FALSE(vault->storeWindow(aliceId, Signal::Hrv, start, start + 300'000,
                                             bytesOf("alice hrv")));
            REQUIRE_FALSE(
                vault->storeWindow(bobId, Signal::Hrv, start, start + 300'000, bytesOf("bob hrv")));
        }
        // Untampered, both open.
        REQUIRE(openAlice().size() == 3);
    }

    void sql(const std::string& statement) {
        auto raw = Database::open(db, {"", false});
        raw.exec(statement);
    }

    std::vector<OpenedRow> openAlice() {
        return openRecords(vault->sealedRecordsFor(aliceId), alice.keys.publicKey,
                           alice.keys.secretKey);
    }
    std::vector<OpenedRow> openBob() {
        return openRecords(vault->sealedRecordsFor(bobId), bob.keys.publicKey, bob.keys.secretKey);
    }
};

}  // namespace

TEST_CASE("A row moved to another window fails authentication") {
    TamperScene s;
    s.sql("UPDATE windows SET window_start_ms = window_start_ms + 1000 WHERE window_start_ms = " +
          std::to_string(kStart + 120'000));
    CHECK_THROWS_AS(s.openAlice(), RecordAuthenticationError);
    CHECK_THROWS_AS(s.openBob(), RecordAuthenticationError);
}

TEST_CASE("A row whose window end is changed fails authentication") {
    TamperScene s;
    s.sql("UPDATE windows SET window_end_ms = window_end_ms + 1");
    CHECK_THROWS_WITH(s.openAlice(), Catch::Contains("fails authentication"));
}

TEST_CASE("A row relabelled as another signal fails authentication") {
    TamperScene s;
    s.sql("UPDATE windows SET signal = 2 WHERE window_start_ms = " + std::to_string(kStart));
    CHECK_THROWS_WITH(s.openAlice(),
                      Catch::Contains("eda window") && Catch::Contains("fails authentication"));
}

TEST_CASE("A row relabelled with another schema version fails authentication") {
    TamperScene s;
    s.sql("UPDATE windows SET schema_version = schema_version + 1");
    CHECK_THROWS_AS(s.openAlice(), RecordAuthenticationError);
}

TEST_CASE("A row moved to another participant fails authentication") {
    TamperScene s;
    // Move one of Alice's rows into a free slot of Bob's.
    s.sql(
        "UPDATE windows SET participant_id = (SELECT id FROM participants WHERE band_address ="
        " 'AA:00:00:00:00:02'), window_start_ms = window_start_ms + 1"
        " WHERE window_start_ms = " +
        std::to_string(kStart) +
        " AND participant_id = (SELECT id FROM participants WHERE band_address ="
        " 'AA:00:00:00:00:01')");
    CHECK_THROWS_AS(s.openBob(), RecordAuthenticationError);
}

TEST_CASE("Records relabelled as another participant's fail even with the right keys") {
    TamperScene s;
    auto records = s.vault->sealedRecordsFor(s.aliceId);
    auto relabelled = SealedRecords{s.bobId, records.participantKey, records.wrappedKey,
                                    records.epochKeys, records.rows};
    CHECK_THROWS_WITH(openRecords(relabelled, s.alice.keys.publicKey, s.alice.keys.secretKey),
                      Catch::Contains("epoch key"));
}

TEST_CASE("A row replayed into another window slot fails authentication") {
    TamperScene s;
    s.sql(
        "INSERT INTO windows SELECT participant_id, signal, window_start_ms + 3600000,"
        " window_end_ms + 3600000, key_id, schema_version, nonce, ciphertext FROM windows");
    CHECK_THROWS_AS(s.openAlice(), RecordAuthenticationError);
}

TEST_CASE("A flipped ciphertext or nonce byte fails authentication") {
    TamperScene s;
    auto records = s.vault->sealedRecordsFor(s.aliceId);
    auto flippedCipher = records;
    flippedCipher.rows[1].ciphertext[0] ^= 0x01;
    CHECK_THROWS_AS(openRecords(flippedCipher, s.alice.keys.publicKey, s.alice.keys.secretKey),
                    RecordAuthenticationError);
    auto flippedNonce = records;
    flippedNonce.rows[2].nonce[23] ^= 0x80;
    CHECK_THROWS_AS(openRecords(flippedNonce, s.alice.keys.publicKey, s.alice.keys.secretKey),
                    RecordAuthenticationError);
    auto flippedKey = records;
    flippedKey.epochKeys[0].sealed[60] ^= 0x01;
    CHECK_THROWS_AS(openRecords(flippedKey, s.alice.keys.publicKey, s.alice.keys.secretKey),
                    RecordAuthenticationError);
}

TEST_CASE("A sealed epoch key swapped onto another participant's key id does not open") {
    TamperScene s;
    // Bob's sealed copy is relabelled as Alice's: Alice cannot open it.
    s.sql(
        "UPDATE sealed_epoch_keys SET sealed = (SELECT s.sealed FROM sealed_epoch_keys s"
        " JOIN epoch_keys k ON k.key_id = s.key_id JOIN participants p ON p.id ="
        " k.participant_id WHERE p.band_address = 'AA:00:00:00:00:02')"
        " WHERE key_id IN (SELECT k.key_id FROM epoch_keys k JOIN participants p ON p.id ="
        " k.participant_id WHERE p.band_address = 'AA:00:00:00:00:01')");
    CHECK_THROWS_WITH(s.openAlice(), Catch::Contains("does not open"));
}

TEST_CASE("Another participant's key pair opens none of the rows") {
    TamperScene s;
    const auto records = s.vault->sealedRecordsFor(s.aliceId);
    CHECK_THROWS_AS(openRecords(records, s.bob.keys.publicKey, s.bob.keys.secretKey),
                    RecordAuthenticationError);
    CHECK_THROWS_AS(openRecords(records, s.alice.keys.publicKey, s.bob.keys.secretKey),
                    RecordAuthenticationError);
}

// Byte-level canary test (issue 2; SECURITY.md 1.6 and goal G8): the vault's
// files must never contain feature values, a band name or key material, in
// any encoding we can think of, while the vault is open and after it closes;
// after withdrawal they must not contain any byte string of the participant's
// sealed keys, rows or id either.

#include "storage_fixtures.hpp"

#include <bit>
#include <cstring>

#include <catch2/catch.hpp>

#include "storage/vault.hpp"

using namespace wardgate::storage;
using namespace wardgate::storage::test;

namespace {

constexpr double kCanaryValue = 123.456789012345;
constexpr std::string_view kCanaryText = "123.456789012345";
constexpr std::string_view kCanaryBand = "Canary Band Q7 of Nurse Canary";
constexpr std::int64_t kStart = 1'699'920'000'000;  // a UTC midnight

std::vector<std::uint8_t> ieeeLittleEndian(double value) {
    static_assert(std::endian::native == std::endian::little, "test assumes a little-endian host");
    std::vector<std::uint8_t> out(sizeof value);
    std::memcpy(out.data(), &value, sizeof value);
    return out;
}

// A feature record as the daemon writes it: JSON text followed by the same
// value as a raw IEEE double (covers binary encodings too).
std::vector<std::uint8_t> canaryPlaintext(int i) {
    std::string json = R"({"band":")" + std::string(kCanaryBand) + R"(","rmssd":)" +
                       std::string(kCanaryText) + R"(,"i":)" + std::to_string(i) + "}";
    auto bytes = bytesOf(json);
    const auto raw = ieeeLittleEndian(kCanaryValue);
    bytes.insert(bytes.end(), raw.begin(), raw.end());
    return bytes;
}

// Finds which needle (by label) occurs in which vault file; empty means clean.
std::vector<std::string> findCanaries(
    const std::filesystem::path& db,
    const std::vector<std::pair<std::string, std::vector<std::uint8_t>>>& needles) {
    std::vector<std::string> hits;
    for (const auto& file : vaultFiles(db)) {
        const auto bytes = readFileBytes(file);
        for (const auto& [label, needle] : needles) {
            if (containsBytes(bytes, needle)) {
                hits.push_back(label + " in " + file.filename().string());
            }
        }
    }
    return hits;
}

std::vector<std::pair<std::string, std::vector<std::uint8_t>>> plaintextCanaries() {
    return {{"value as text", bytesOf(kCanaryText)},
            {"value as IEEE double", ieeeLittleEndian(kCanaryValue)},
            {"band name", bytesOf(kCanaryBand)},
            {"band name fragment", bytesOf("Nurse Canary")}};
}

}  // namespace

TEST_CASE("Vault files hold no feature value or band name or key while open and after close") {
    TempDir dir;
    const auto db = dir.file("vault.db");
    auto p = makeParticipant("C0:FF:EE:00:00:01", "canary passphrase");
    auto needles = plaintextCanaries();
    needles.emplace_back("participant secret key",
                         std::vector<std::uint8_t>(p.keys.secretKey.bytes().begin(),
                                                   p.keys.secretKey.bytes().end()));
    {
        auto vault = Vault::open(db);
        const auto id = vault->enrol(p.enrolment);
        for (int i = 0; i < 200; ++i) {
            const auto start = kStart + i * 60'000LL;
            REQUIRE_FALSE(
                vault->storeWindow(id, Signal::Hrv, start, start + 300'000, canaryPlaintext(i)));
        }
        // The plaintext epoch key must not be on disk either: recover it the
        // way the participant's client does and add it to the needles.
        const auto records = vault->sealedRecordsFor(id);
        REQUIRE(records.epochKeys.size() == 1);
        const auto envelope =
            openSealed(p.keys.publicKey, p.keys.secretKey, records.epochKeys[0].sealed);
        REQUIRE(envelope);
        const auto epochKey = envelope->bytes().first(kEpochKeyBytes);
        needles.emplace_back("epoch key",
                             std::vector<std::uint8_t>(epochKey.begin(), epochKey.end()));
        // Sanity check of the method: the rows do carry the canaries inside.
        const auto rows = openRecords(records, p.keys.publicKey, p.keys.secretKey);
        REQUIRE(containsBytes(rows[0].plaintext, bytesOf(kCanaryText)));
        REQUIRE(containsBytes(rows[0].plaintext, ieeeLittleEndian(kCanaryValue)));

        REQUIRE(std::filesystem::file_size(db.string() + "-wal") > 0);
        CHECK(findCanaries(db, needles) == std::vector<std::string>{});
    }
    CHECK(findCanaries(db, needles) == std::vector<std::string>{});
}

TEST_CASE("After withdrawal the vault files hold no byte string of the participant") {
    TempDir dir;
    const auto db = dir.file("vault.db");
    auto leaver = makeParticipant("C0:FF:EE:00:00:01", "leaver");
    auto stayer = makeParticipant("C0:FF:EE:00:00:02", "stayer");
    auto vault = Vault::open(db);
    auto leaverId = vault->enrol(leaver.enrolment);
    auto stayerId = vault->enrol(stayer.enrolment);
    // The leaver's rows must sort before the stayer's: then page splits leave
    // stale copies of the leaver's cells in pages that keep the stayer's rows,
    // which secure_delete alone does not clear (found by this test).
    if (stayerId < leaverId) {
        std::swap(leaver, stayer);
        std::swap(leaverId, stayerId);
    }
    for (int i = 0; i < 60; ++i) {
        const auto start = kStart + i * 60'000LL;
        REQUIRE_FALSE(
            vault->storeWindow(leaverId, Signal::Hrv, start, start + 1, canaryPlaintext(i)));
        REQUIRE_FALSE(vault->storeWindow(stayerId, Signal::Hrv, start, start + 1, bytesOf("s")));
    }

    auto needles = plaintextCanaries();
    const auto records = vault->sealedRecordsFor(leaverId);
    needles.emplace_back("participant id", std::vector<std::uint8_t>(leaverId.bytes().begin(),
                                                                     leaverId.bytes().end()));
    needles.emplace_back("participant public key",
                         std::vector<std::uint8_t>(leaver.keys.publicKey.bytes.begin(),
                                                   leaver.keys.publicKey.bytes.end()));
    needles.emplace_back("band address", bytesOf(leaver.enrolment.bandAddress));
    needles.emplace_back("wrapped key", records.wrappedKey.ciphertext);
    for (const auto& k : records.epochKeys) {
        needles.emplace_back("sealed epoch key " + k.keyId.toHex(), k.sealed);
        needles.emplace_back("epoch key id " + k.keyId.toHex(),
                             std::vector<std::uint8_t>(k.keyId.bytes.begin(), k.keyId.bytes.end()));
    }
    for (std::size_t i = 0; i < records.rows.size(); ++i) {
        // 24 bytes of ciphertext are enough to identify a row uniquely.
        const auto& c = records.rows[i].ciphertext;
        needles.emplace_back("row ciphertext " + std::to_string(i),
                             std::vector<std::uint8_t>(c.begin() + 8, c.begin() + 32));
    }
    // Before withdrawal the method finds the sealed bytes (so the search works).
    REQUIRE_FALSE(findCanaries(db, needles).empty());

    vault->withdraw(leaverId);
    CHECK(findCanaries(db, needles) == std::vector<std::string>{});
    vault.reset();
    CHECK(findCanaries(db, needles) == std::vector<std::string>{});

    // The other participant is untouched.
    auto reopened = Vault::open(db);
    CHECK(openRecords(reopened->sealedRecordsFor(stayerId), stayer.keys.publicKey,
                      stayer.keys.secretKey)
              .size() == 60);
}

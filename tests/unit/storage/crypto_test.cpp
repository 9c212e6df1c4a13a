#include "storage/crypto.hpp"

#include "storage_fixtures.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace wardgate::storage;

TEST_CASE("A wrapped secret key opens with the right passphrase and not with a wrong one") {
    const auto keys = generateKeyPair();
    const auto wrapped = wrapSecretKey(keys.secretKey, "correct horse", KdfCost::fastForTests());

    const auto opened = unwrapSecretKey(wrapped, "correct horse");
    REQUIRE(opened);
    CHECK(opened->equals(keys.secretKey.bytes()));
    CHECK_FALSE(unwrapSecretKey(wrapped, "correct horse "));
    CHECK_FALSE(unwrapSecretKey(wrapped, ""));
}

TEST_CASE("The standard Argon2id cost wraps and unwraps a key") {
    const auto keys = generateKeyPair();
    const auto wrapped = wrapSecretKey(keys.secretKey, "pass");
    CHECK(wrapped.opsLimit == KdfCost::standard().opsLimit);
    CHECK(wrapped.memLimitBytes == KdfCost::standard().memLimitBytes);
    const auto opened = unwrapSecretKey(wrapped, "pass");
    REQUIRE(opened);
    CHECK(opened->equals(keys.secretKey.bytes()));
}

TEST_CASE("Unwrapping refuses cost parameters that would demand unbounded memory or time") {
    const auto keys = generateKeyPair();
    auto wrapped = wrapSecretKey(keys.secretKey, "pass", KdfCost::fastForTests());
    wrapped.memLimitBytes = 1ULL << 40;
    CHECK_FALSE(unwrapSecretKey(wrapped, "pass"));
    wrapped.memLimitBytes = KdfCost::fastForTests().memLimitBytes;
    wrapped.opsLimit = 1000;
    CHECK_FALSE(unwrapSecretKey(wrapped, "pass"));
}

TEST_CASE("A tampered wrapped key does not open") {
    const auto keys = generateKeyPair();
    auto wrapped = wrapSecretKey(keys.secretKey, "pass", KdfCost::fastForTests());
    wrapped.ciphertext[3] ^= 0x01;
    CHECK_FALSE(unwrapSecretKey(wrapped, "pass"));
}

TEST_CASE("A sealed box opens only with the recipient's key pair") {
    const auto alice = generateKeyPair();
    const auto bob = generateKeyPair();
    const auto message = wardgate::storage::test::bytesOf("epoch key stand-in");

    const auto sealed = sealTo(alice.publicKey, message);
    CHECK(sealed.size() == message.size() + kSealOverheadBytes);
    const auto opened = openSealed(alice.publicKey, alice.secretKey, sealed);
    REQUIRE(opened);
    CHECK(opened->equals(message));
    CHECK_FALSE(openSealed(bob.publicKey, bob.secretKey, sealed));

    auto tampered = sealed;
    tampered.back() ^= 0x80;
    CHECK_FALSE(openSealed(alice.publicKey, alice.secretKey, tampered));
    CHECK_FALSE(openSealed(alice.publicKey, alice.secretKey, std::span(sealed).first(10)));
}

TEST_CASE("Base64 round-trips any bytes and rejects malformed text") {
    const std::vector<std::uint8_t> bytes{0x00, 0xff, 0x10, 0x80, 0x7f};
    CHECK(toBase64(bytes) == "AP8QgH8=");
    CHECK(fromBase64("AP8QgH8=") == bytes);
    CHECK(toBase64({}).empty());
    CHECK(fromBase64("") == std::vector<std::uint8_t>{});
    CHECK_FALSE(fromBase64("AP8QgH8"));    // missing padding
    CHECK_FALSE(fromBase64("AP8Q gH8="));  // embedded space
    CHECK_FALSE(fromBase64("AP8QgH8=x"));  // trailing garbage
    CHECK_FALSE(fromBase64("AP8*gH8="));
}

TEST_CASE("JSON forms of public keys and wrapped keys round-trip") {
    const auto keys = generateKeyPair();
    const auto wrapped = wrapSecretKey(keys.secretKey, "pw", KdfCost::fastForTests());

    const nlohmann::json pk = keys.publicKey;
    CHECK(pk.is_string());
    CHECK(pk.get<PublicKey>() == keys.publicKey);

    const nlohmann::json wk = wrapped;
    CHECK(wk.at("kdf") == "argon2id13");
    const auto back = nlohmann::json::parse(wk.dump()).get<WrappedSecretKey>();
    CHECK(back == wrapped);
    CHECK(unwrapSecretKey(back, "pw"));
}

TEST_CASE("JSON parsing of keys rejects wrong lengths and bad base64") {
    CHECK_THROWS_AS(nlohmann::json("AAAA").get<PublicKey>(), std::invalid_argument);
    CHECK_THROWS_AS(nlohmann::json("not base64!").get<PublicKey>(), std::invalid_argument);
    CHECK_THROWS(nlohmann::json(42).get<PublicKey>());
    auto wk =
        nlohmann::json(wrapSecretKey(generateKeyPair().secretKey, "pw", KdfCost::fastForTests()));
    wk["salt"] = "AAAA";
    CHECK_THROWS_AS(wk.get<WrappedSecretKey>(), std::invalid_argument);
}

TEST_CASE("SecretBytes is move-only and empties the source on move and on reset") {
    auto a = SecretBytes::random(32);
    REQUIRE(a.size() == 32);
    const auto copy = std::vector<std::uint8_t>(a.bytes().begin(), a.bytes().end());
    SecretBytes b = std::move(a);
    // The moved-from state is the contract under test.
    CHECK(a.empty());            // NOLINT(bugprone-use-after-move,clang-analyzer-cplusplus.Move)
    CHECK(a.data() == nullptr);  // NOLINT(bugprone-use-after-move,clang-analyzer-cplusplus.Move)
    CHECK(b.equals(copy));
    b.reset();
    CHECK(b.empty());
    CHECK(SecretBytes(16).equals(std::vector<std::uint8_t>(16, 0)));
    static_assert(!std::is_copy_constructible_v<SecretBytes>);
}

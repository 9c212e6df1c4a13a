#include "storage/crypto.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>
#include <sodium.h>

namespace wardgate::storage {
namespace {

static_assert(kPublicKeyBytes == crypto_box_PUBLICKEYBYTES);
static_assert(kSecretKeyBytes == crypto_box_SECRETKEYBYTES);
static_assert(kSealOverheadBytes == crypto_box_SEALBYTES);
static_assert(sizeof(WrappedSecretKey::salt) == crypto_pwhash_SALTBYTES);
static_assert(sizeof(WrappedSecretKey::nonce) == crypto_secretbox_NONCEBYTES);

constexpr std::size_t kWrapKeyBytes = crypto_secretbox_KEYBYTES;
// Upper bounds accepted when unwrapping, so a hostile blob cannot demand
// unbounded time or memory.
constexpr std::uint64_t kMaxOpsLimit = 16;
constexpr std::uint64_t kMaxMemLimitBytes = 1ULL << 30;

std::optional<SecretBytes> deriveWrapKey(std::string_view passphrase,
                                         const WrappedSecretKey& params) {
    SecretBytes key(kWrapKeyBytes);
    const int rc =
        crypto_pwhash(key.data(), key.size(), passphrase.data(), passphrase.size(),
                      params.salt.data(), params.opsLimit,
                      static_cast<std::size_t>(params.memLimitBytes), crypto_pwhash_ALG_ARGON2ID13);
    if (rc != 0) {
        return std::nullopt;
    }
    return key;
}

bool costAcceptable(std::uint64_t ops, std::uint64_t mem) noexcept {
    return ops >= crypto_pwhash_OPSLIMIT_MIN && ops <= kMaxOpsLimit &&
           mem >= crypto_pwhash_MEMLIMIT_MIN && mem <= kMaxMemLimitBytes;
}

template <std::size_t N>
std::array<std::uint8_t, N> fixedField(const nlohmann::json& j, const char* name) {
    const auto bytes = base64Field(j, name);
    if (bytes.size() != N) {
        throw std::invalid_argument(std::string("JSON field '") + name + "' has the wrong length");
    }
    std::array<std::uint8_t, N> out{};
    std::copy(bytes.begin(), bytes.end(), out.begin());
    return out;
}

}  // namespace

KdfCost KdfCost::fastForTests() noexcept {
    return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

KeyPair generateKeyPair() {
    ensureSodium();
    KeyPair pair{{}, SecretBytes(kSecretKeyBytes)};
    crypto_box_keypair(pair.publicKey.bytes.data(), pair.secretKey.data());
    return pair;
}

WrappedSecretKey wrapSecretKey(const SecretBytes& sk, std::string_view passphrase, KdfCost cost) {
    ensureSodium();
    WrappedSecretKey out;
    out.opsLimit = cost.opsLimit;
    out.memLimitBytes = cost.memLimitBytes;
    randombytes_buf(out.salt.data(), out.salt.size());
    randombytes_buf(out.nonce.data(), out.nonce.size());

    const auto wrapKey = deriveWrapKey(passphrase, out);
    if (!wrapKey) {
        throw std::runtime_error("Argon2id key derivation failed (out of memory?)");
    }
    out.ciphertext.resize(sk.size() + crypto_secretbox_MACBYTES);
    crypto_secretbox_easy(out.ciphertext.data(), sk.data(), sk.size(), out.nonce.data(),
                          wrapKey->data());
    return out;
}

bool isWellFormed(const WrappedSecretKey& wrapped) noexcept {
    return wrapped.ciphertext.size() == kSecretKeyBytes + crypto_secretbox_MACBYTES &&
           costAcceptable(wrapped.opsLimit, wrapped.memLimitBytes);
}

bool isUsablePublicKey(const PublicKey& key) {
    ensureSodium();
    constexpr std::array<std::uint8_t, 1> kProbe{0};
    std::array<std::uint8_t, kProbe.size() + crypto_box_SEALBYTES> out{};
    return crypto_box_seal(out.data(), kProbe.data(), kProbe.size(), key.bytes.data()) == 0;
}

std::optional<SecretBytes> unwrapSecretKey(const WrappedSecretKey& wrapped,
                                           std::string_view passphrase) {
    ensureSodium();
    if (wrapped.ciphertext.size() <= crypto_secretbox_MACBYTES ||
        !costAcceptable(wrapped.opsLimit, wrapped.memLimitBytes)) {
        return std::nullopt;
    }
    const auto wrapKey = deriveWrapKey(passphrase, wrapped);
    if (!wrapKey) {
        return std::nullopt;
    }
    SecretBytes sk(wrapped.ciphertext.size() - crypto_secretbox_MACBYTES);
    if (crypto_secretbox_open_easy(sk.data(), wrapped.ciphertext.data(), wrapped.ciphertext.size(),
                                   wrapped.nonce.data(), wrapKey->data()) != 0) {
        return std::nullopt;
    }
    return sk;
}

std::vector<std::uint8_t> sealTo(const PublicKey& recipient,
                                 std::span<const std::uint8_t> message) {
    ensureSodium();
    std::vector<std::uint8_t> out(message.size() + crypto_box_SEALBYTES);
    if (crypto_box_seal(out.data(), message.data(), message.size(), recipient.bytes.data()) != 0) {
        throw std::runtime_error("crypto_box_seal failed (invalid recipient public key)");
    }
    return out;
}

std::optional<SecretBytes> openSealed(const PublicKey& pk, const SecretBytes& sk,
                                      std::span<const std::uint8_t> sealed) {
    ensureSodium();
    if (sealed.size() <= crypto_box_SEALBYTES || sk.size() != kSecretKeyBytes) {
        return std::nullopt;
    }
    SecretBytes out(sealed.size() - crypto_box_SEALBYTES);
    if (crypto_box_seal_open(out.data(), sealed.data(), sealed.size(), pk.bytes.data(),
                             sk.data()) != 0) {
        return std::nullopt;
    }
    return out;
}

std::string toBase64(std::span<const std::uint8_t> bytes) {
    ensureSodium();
    constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), kVariant);
    out.pop_back();  // the encoded length counts the terminating NUL
    return out;
}

std::optional<std::vector<std::uint8_t>> fromBase64(std::string_view text) {
    ensureSodium();
    std::vector<std::uint8_t> out(text.size() / 4 * 3 + 3);
    std::size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text.data() + text.size()) {
        return std::nullopt;
    }
    out.resize(length);
    return out;
}

std::vector<std::uint8_t> base64Field(const nlohmann::json& j, const char* name) {
    auto bytes = fromBase64(j.at(name).get<std::string>());
    if (!bytes) {
        throw std::invalid_argument(std::string("JSON field '") + name + "' is not valid base64");
    }
    return std::move(*bytes);
}

void to_json(nlohmann::json& j, const PublicKey& key) {
    j = toBase64(key.bytes);
}

void from_json(const nlohmann::json& j, PublicKey& key) {
    const auto bytes = fromBase64(j.get<std::string>());
    if (!bytes || bytes->size() != kPublicKeyBytes) {
        throw std::invalid_argument("public key must be 32 bytes in base64");
    }
    std::copy(bytes->begin(), bytes->end(), key.bytes.begin());
}

void to_json(nlohmann::json& j, const WrappedSecretKey& key) {
    j = nlohmann::json{{"kdf", "argon2id13"},          {"salt", toBase64(key.salt)},
                       {"opsLimit", key.opsLimit},     {"memLimitBytes", key.memLimitBytes},
                       {"nonce", toBase64(key.nonce)}, {"ciphertext", toBase64(key.ciphertext)}};
}

void from_json(const nlohmann::json& j, WrappedSecretKey& key) {
    if (j.at("kdf").get<std::string>() != "argon2id13") {
        throw std::invalid_argument("wrapped key uses an unknown KDF");
    }
    key.salt = fixedField<sizeof(key.salt)>(j, "salt");
    key.opsLimit = j.at("opsLimit").get<std::uint64_t>();
    key.memLimitBytes = j.at("memLimitBytes").get<std::uint64_t>();
    key.nonce = fixedField<sizeof(key.nonce)>(j, "nonce");
    key.ciphertext = base64Field(j, "ciphertext");
}

}  // namespace wardgate::storage

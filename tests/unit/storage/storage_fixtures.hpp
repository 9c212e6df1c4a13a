#pragma once
// Shared helpers for the storage tests: a temporary directory that removes
// itself, a participant with a real key pair, and byte searches in files.

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/crypto.hpp"
#include "storage/vault.hpp"

namespace wardgate::storage::test {

class TempDir {
  public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "wardgate-storage-XXXXXX");
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        path_ = pattern;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    TempDir(TempDir&&) = delete;
    TempDir& operator=(TempDir&&) = delete;
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    [[nodiscard]] std::filesystem::path file(std::string_view name) const { return path_ / name; }

  private:
    std::filesystem::path path_;
};

struct TestParticipant {
    KeyPair keys;
    Enrolment enrolment;
};

inline TestParticipant makeParticipant(std::string band, std::string_view passphrase,
                                       SignalSet signals = {Signal::Hrv, Signal::Eda}) {
    auto keys = generateKeyPair();
    Enrolment e{std::move(band), signals,
                keys.publicKey,  wrapSecretKey(keys.secretKey, passphrase, KdfCost::fastForTests()),
                std::nullopt,    "consent-v1"};
    return {std::move(keys), std::move(e)};
}

inline std::vector<std::uint8_t> bytesOf(std::string_view text) {
    return {text.begin(), text.end()};
}

inline std::vector<std::uint8_t> readFileBytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return {};
    }
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline bool containsBytes(std::span<const std::uint8_t> haystack,
                          std::span<const std::uint8_t> needle) {
    return !needle.empty() && std::search(haystack.begin(), haystack.end(), needle.begin(),
                                          needle.end()) != haystack.end();
}

// The vault's database and its -wal and -shm companions.
inline std::vector<std::filesystem::path> vaultFiles(const std::filesystem::path& db) {
    return {db, db.string() + "-wal", db.string() + "-shm"};
}

}  // namespace wardgate::storage::test

#include "storage/secret_bytes.hpp"

#include <mutex>
#include <new>
#include <stdexcept>
#include <utility>

#include <sodium.h>

namespace wardgate::storage {

void ensureSodium() {
    static std::once_flag once;
    static bool ok = false;
    std::call_once(once, [] { ok = sodium_init() >= 0; });
    if (!ok) {
        throw std::runtime_error("libsodium initialisation failed (sodium_init)");
    }
}

SecretBytes::SecretBytes(std::size_t size) {
    if (size == 0) {
        return;
    }
    ensureSodium();
    data_ = static_cast<std::uint8_t*>(sodium_malloc(size));
    if (data_ == nullptr) {
        throw std::bad_alloc();
    }
    // sodium_malloc fills with 0xdb to expose uninitialised reads; we promise zeroes.
    sodium_memzero(data_, size);
    size_ = size;
}

SecretBytes SecretBytes::copyOf(std::span<const std::uint8_t> bytes) {
    SecretBytes out(bytes.size());
    if (!bytes.empty()) {
        std::copy(bytes.begin(), bytes.end(), out.data_);
    }
    return out;
}

SecretBytes SecretBytes::random(std::size_t size) {
    SecretBytes out(size);
    if (size != 0) {
        randombytes_buf(out.data_, size);
    }
    return out;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
        reset();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

SecretBytes::~SecretBytes() {
    reset();
}

void SecretBytes::reset() noexcept {
    if (data_ != nullptr) {
        sodium_free(data_);  // zeroes, unlocks and unmaps
    }
    data_ = nullptr;
    size_ = 0;
}

bool SecretBytes::equals(std::span<const std::uint8_t> other) const noexcept {
    if (other.size() != size_) {
        return false;
    }
    return size_ == 0 || sodium_memcmp(data_, other.data(), size_) == 0;
}

}  // namespace wardgate::storage

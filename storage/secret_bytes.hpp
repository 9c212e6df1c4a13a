#pragma once
// Secret key material in libsodium's guarded memory.
//
// SecretBytes owns a sodium_malloc() buffer: it sits next to a guard page, is
// mlock()ed when RLIMIT_MEMLOCK allows, and is zeroed by sodium_free(). Keys,
// epoch keys and passphrase-derived keys live only here, never in
// std::string or std::vector (those reallocate and leave copies behind).
// Move-only; a moved-from object is empty (size() == 0, data() == nullptr).
// Not thread-safe; no logging, no formatting of contents.

#include <cstddef>
#include <cstdint>
#include <span>

namespace wardgate::storage {

// Initialises libsodium once per process. Idempotent and thread-safe; throws
// std::runtime_error if libsodium cannot initialise (no entropy source).
void ensureSodium();

class SecretBytes {
  public:
    SecretBytes() noexcept = default;
    // Allocates `size` zeroed bytes; throws std::bad_alloc when sodium_malloc fails.
    explicit SecretBytes(std::size_t size);
    // Copies `bytes` into guarded memory (the caller wipes its own copy).
    [[nodiscard]] static SecretBytes copyOf(std::span<const std::uint8_t> bytes);
    // Fills a new buffer of `size` bytes from the OS CSPRNG.
    [[nodiscard]] static SecretBytes random(std::size_t size);

    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;
    SecretBytes(SecretBytes&& other) noexcept;
    SecretBytes& operator=(SecretBytes&& other) noexcept;
    ~SecretBytes();

    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    [[nodiscard]] std::uint8_t* data() noexcept { return data_; }
    [[nodiscard]] const std::uint8_t* data() const noexcept { return data_; }
    [[nodiscard]] std::span<const std::uint8_t> bytes() const noexcept { return {data_, size_}; }
    [[nodiscard]] std::span<std::uint8_t> bytes() noexcept { return {data_, size_}; }

    // Wipes and frees now; the object becomes empty.
    void reset() noexcept;

    // Constant-time comparison of contents (sizes must match to be equal).
    [[nodiscard]] bool equals(std::span<const std::uint8_t> other) const noexcept;

  private:
    std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace wardgate::storage

#pragma once
// The vault: participants, their consent, and their sealed feature windows in
// one SQLite file (WAL). Layout and key handling: storage/README.md.
//
// Threading: a Vault belongs to one thread (the daemon's event loop); no
// method is safe to call concurrently. Blocking: every write is one SQLite
// transaction with synchronous=FULL, i.e. one fsync of the WAL (milliseconds
// on a Pi's SD card); open() and withdraw() may take longer (quick_check,
// checkpoint). No method logs, and no error message contains key material,
// plaintext or a band address.
//
// The only plaintext key the vault holds is each participant's current epoch
// key, in sodium_malloc memory. It is written to the file only as sealed boxes
// to the participant (and their provider), so the vault can seal rows but can
// never open a closed epoch. After a restart a new key is created for the same
// epoch; each row records the key id that sealed it.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "storage/crypto.hpp"
#include "storage/database.hpp"
#include "storage/ids.hpp"
#include "storage/sealed_records.hpp"
#include "storage/vault_error.hpp"

namespace wardgate::storage {

struct VaultOptions {
    // Length of an epoch: one data key per participant per epoch. Must be > 0.
    // Epoch n covers [n * epochLength, (n + 1) * epochLength) in Unix time.
    std::chrono::seconds epochLength{std::chrono::hours{24}};
    // How long a writer waits for a lock held by another connection.
    std::chrono::milliseconds busyTimeout{5000};
    // Wall clock for enrolment and key-creation times (tests may fix it).
    std::function<std::chrono::system_clock::time_point()> clock = std::chrono::system_clock::now;
    // Name of a registered sqlite3_vfs to open the file through (fault
    // injection in tests); empty means SQLite's default.
    std::string vfsName{};
};

struct Enrolment {
    std::string bandAddress{};  // as BlueZ reports it, e.g. "AA:BB:CC:DD:EE:FF"
    SignalSet signals{};        // consented signals; must not be empty
    PublicKey participantKey{};
    WrappedSecretKey wrappedKey{};  // the participant's secret key under their passphrase
    std::optional<PublicKey> providerKey{};
    std::string consentVersion{};  // version of the consent text they saw; not empty
};

struct ParticipantRecord {
    ParticipantId id;
    std::string bandAddress{};
    SignalSet signals{};
    PublicKey participantKey{};
    std::optional<PublicKey> providerKey{};
    std::string consentVersion{};
    std::int64_t enrolledAtMs = 0;  // Unix ms
};

struct VaultStats {
    std::size_t participants = 0;
    std::size_t rows = 0;
    std::uintmax_t databaseBytes = 0;
    std::uintmax_t walBytes = 0;  // 0 after a TRUNCATE checkpoint
};

class Vault {
  public:
    // Opens or creates the vault at `path` (WAL, synchronous=FULL,
    // secure_delete=ON, foreign_keys=ON, temp_store=MEMORY, busy timeout),
    // runs PRAGMA quick_check and forward migrations. A new file is created
    // with mode 0600 (SQLite gives -wal and -shm the same mode). Throws
    // VaultError naming the path and what failed: not a database, not a vault,
    // corrupt, newer schema, locked, permission denied.
    [[nodiscard]] static std::unique_ptr<Vault> open(const std::filesystem::path& path,
                                                     VaultOptions options = {});

    Vault(const Vault&) = delete;
    Vault& operator=(const Vault&) = delete;
    Vault(Vault&&) = delete;
    Vault& operator=(Vault&&) = delete;
    ~Vault();  // wipes every in-memory epoch key

    // Records a participant with a fresh random id. Throws VaultError if the
    // band is already enrolled, if no signal or no consent version is given,
    // if the wrapped key is malformed or a public key unusable (low-order
    // point), or on a database failure (nothing is written then).
    [[nodiscard]] ParticipantId enrol(const Enrolment& e);

    [[nodiscard]] std::optional<ParticipantRecord> findByBand(std::string_view address) const;
    [[nodiscard]] std::optional<ParticipantRecord> find(const ParticipantId& id) const;
    // Ordered by enrolment time.
    [[nodiscard]] std::vector<ParticipantRecord> participants() const;

    // Seals `plaintext` under the participant's key for the epoch containing
    // windowStartMs and stores it, in one transaction. Returns:
    //   {} on commit (only then may the caller acknowledge the window);
    //   UnknownParticipant, SignalNotConsented (window dropped, never stored),
    //   InvalidWindow, DuplicateWindow;
    //   DiskFull, IoError, Busy, Corrupt, Database, OutOfMemory: nothing of
    //   this call was written and everything committed before is intact.
    // Epoch keys: when no key for that epoch is held, a random key is made,
    // sealed to the recipients in the same transaction, and held from commit
    // on; the key of an earlier epoch is wiped then. A late window for an
    // epoch older than the held one gets a one-shot key, wiped on return.
    [[nodiscard]] std::error_code storeWindow(const ParticipantId& id, Signal signal,
                                              std::int64_t windowStartMs, std::int64_t windowEndMs,
                                              std::span<const std::uint8_t> plaintext) noexcept;

    // Everything the participant's own client needs to decrypt locally: the
    // wrapped secret key, the epoch keys sealed to the participant for the
    // rows returned, and the rows in window order, restricted to
    // windowStartMs in [fromMs, toMs) when given. Throws VaultError for an
    // unknown participant or a database failure.
    [[nodiscard]] SealedRecords sealedRecordsFor(const ParticipantId& id,
                                                 std::optional<std::int64_t> fromMs = {},
                                                 std::optional<std::int64_t> toMs = {}) const;

    // Crypto-shredding: wipes the participant's in-memory key, deletes their
    // rows, sealed keys, wrapped key, consent and record in one transaction
    // (secure_delete zeroes the cells), then checkpoints, VACUUMs and
    // truncates the WAL so that no byte of theirs is left in the db, -wal or
    // -shm file (flash wear levelling may still keep old blocks: SECURITY.md
    // 1.4; those hold only ciphertext). Blocks for a time proportional to the
    // file size (VACUUM rewrites it; its transient copy is in memory because
    // of temp_store=MEMORY, so peak RAM is about the file size: TODO(#6)
    // bound this for large vaults). Idempotent: an unknown id only compacts.
    // Throws VaultError if the delete fails (nothing deleted) or if
    // compacting fails (delete committed; call withdraw() again).
    void withdraw(const ParticipantId& id);

    // wal_checkpoint(TRUNCATE): copies the WAL into the database file and
    // empties it; for the daemon's idle timer (SECURITY.md 1.2). Blocks for
    // one checkpoint (fsyncs). Returns Busy if another connection holds the
    // WAL, other codes as storeWindow; never loses committed data.
    [[nodiscard]] std::error_code checkpoint() noexcept;

    // Wipes every in-memory epoch key (daemon shutdown). The next window of
    // each participant starts a new key.
    void closeAllEpochs() noexcept;

    // Number of epoch keys currently held in memory (for tests and status).
    [[nodiscard]] std::size_t heldEpochKeyCount() const noexcept { return held_.size(); }

    // Counts rows (a full scan of the windows index: call it for status
    // requests, not per window).
    [[nodiscard]] VaultStats stats() const;
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

  private:
    struct HeldKey {
        std::int64_t epoch = 0;
        EpochKeyId keyId;
        SecretBytes key;
    };
    struct WriteTarget;

    Vault(std::filesystem::path path, VaultOptions options, Database db);
    [[nodiscard]] std::int64_t nowMs() const;
    [[nodiscard]] std::int64_t epochOf(std::int64_t windowStartMs) const noexcept;
    [[nodiscard]] VaultError error(const std::string& what, const std::exception& cause) const;
    [[nodiscard]] std::optional<WriteTarget> loadWriteTarget(const ParticipantId& id);
    [[nodiscard]] HeldKey createEpochKey(const ParticipantId& id, std::int64_t epoch,
                                         const WriteTarget& target);
    void insertRow(const ParticipantId& id, SealedRow& row, const HeldKey& key,
                   std::span<const std::uint8_t> plaintext);
    void compactAfterDelete();
    [[nodiscard]] std::error_code storeWindowImpl(const ParticipantId& id, Signal signal,
                                                  std::int64_t windowStartMs,
                                                  std::int64_t windowEndMs,
                                                  std::span<const std::uint8_t> plaintext);

    std::filesystem::path path_;
    VaultOptions options_;
    mutable Database db_;
    std::map<ParticipantId, HeldKey> held_;
};

}  // namespace wardgate::storage

#pragma once
// Internal to the vault: SELECTs that turn stored rows back into records.
// Throw SqliteError from SQLite and std::runtime_error for malformed rows.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "storage/database.hpp"
#include "storage/sealed_records.hpp"

namespace wardgate::storage {
struct ParticipantRecord;
}

namespace wardgate::storage::queries {

// Columns read by readParticipant; append "WHERE ..." or "ORDER BY ...".
inline constexpr std::string_view kSelectParticipant =
    "SELECT p.id, p.band_address, c.signals, p.public_key, p.provider_key, c.consent_version,"
    " p.enrolled_at_ms FROM participants p JOIN consents c ON c.participant_id = p.id ";

[[nodiscard]] ParticipantRecord readParticipant(const Statement& stmt);
[[nodiscard]] WrappedSecretKey readWrappedKey(Database& db, const ParticipantId& id);
// Rows with windowStartMs in [fromMs, toMs), ordered by start then signal.
[[nodiscard]] std::vector<SealedRow> readRows(Database& db, const ParticipantId& id,
                                              std::optional<std::int64_t> fromMs,
                                              std::optional<std::int64_t> toMs);
// The participant's sealed copies of the keys that `rows` name, by epoch.
[[nodiscard]] std::vector<SealedEpochKey> readEpochKeys(Database& db, const ParticipantId& id,
                                                        const std::vector<SealedRow>& rows);

}  // namespace wardgate::storage::queries

#include "storage/vault_error.hpp"

namespace wardgate::storage {
namespace {

class VaultCategory final : public std::error_category {
  public:
    [[nodiscard]] const char* name() const noexcept override { return "wardgate.vault"; }

    [[nodiscard]] std::string message(int value) const override {
        switch (static_cast<VaultErrc>(value)) {
            case VaultErrc::UnknownParticipant:
                return "unknown participant";
            case VaultErrc::SignalNotConsented:
                return "signal not consented; window dropped";
            case VaultErrc::InvalidWindow:
                return "window ends before it starts or names an unknown signal";
            case VaultErrc::DuplicateWindow:
                return "window already stored";
            case VaultErrc::DiskFull:
                return "disk full; window not stored";
            case VaultErrc::IoError:
                return "I/O error; window not stored";
            case VaultErrc::Busy:
                return "vault busy; window not stored";
            case VaultErrc::Corrupt:
                return "vault file corrupt";
            case VaultErrc::Database:
                return "database error; window not stored";
            case VaultErrc::OutOfMemory:
                return "out of memory; window not stored";
        }
        return "unknown vault error";
    }
};

}  // namespace

const std::error_category& vaultCategory() noexcept {
    static const VaultCategory category;
    return category;
}

std::error_code make_error_code(VaultErrc e) noexcept {
    return {static_cast<int>(e), vaultCategory()};
}

}  // namespace wardgate::storage

#include "daemon/gateway.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "daemon/feature_record.hpp"

namespace wardgate::daemon {

namespace asio = boost::asio;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxPendingRecords = 10000;
constexpr auto kRetryInterval = std::chrono::seconds(5);

storage::Signal signalOf(RecordKind kind) {
    return kind == RecordKind::Hrv ? storage::Signal::Hrv : storage::Signal::Eda;
}

}  // namespace

Gateway::Gateway(asio::io_context& io, GatewayConfig config)
    : io_(io)
    , config_(std::move(config))
    , clock_(config_.timeScale)
    , retryTimer_(io)
    , started_(std::chrono::steady_clock::now()) {
    std::filesystem::create_directories(config_.stateDir);
    lockStateDir();
    storage::VaultOptions vaultOptions;
    vaultOptions.epochLength = config_.epochLength;
    vault_ = storage::Vault::open(config_.stateDir / "vault.db", vaultOptions);
    session_ = std::make_unique<ble::BluezSession>(io_, makeBleEvents());
    control_ = std::make_unique<ControlServer>(
        io_, config_.socketPath, config_.socketMode,
        [this](const json& request, const PeerCredentials& peer, ControlServer::Reply reply) {
            handle(request, peer, reply);
        });

    for (const auto& participant : vault_->participants()) {
        startBand(participant);
    }
    spdlog::info("gateway: started bands={} state_dir={}", bands_.size(),
                 config_.stateDir.string());
}

Gateway::~Gateway() {
    if (lockFd_ >= 0) {
        ::close(lockFd_);
    }
}

// Two daemons writing one vault would interleave windows and fight over the
// bands; the second one refuses to start instead.
void Gateway::lockStateDir() {
    const auto lockPath = config_.stateDir / "wardgated.lock";
    lockFd_ = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lockFd_ < 0) {
        throw std::system_error(errno, std::generic_category(), lockPath.string());
    }
    if (::flock(lockFd_, LOCK_EX | LOCK_NB) != 0) {
        throw std::runtime_error("state directory " + config_.stateDir.string() +
                                 " is in use by another running wardgated");
    }
}

void Gateway::shutdown() {
    for (auto& [address, band] : bands_) {
        session_->unwatch(band->address);
    }
    retryPending();
    if (!pending_.empty()) {
        spdlog::error("gateway: {} feature rows could not be stored before shutdown",
                      pending_.size());
    }
    vault_->closeAllEpochs();
    control_.reset();
    spdlog::info("gateway: stopped rows_stored={}", storedRows_);
}

ble::BluezEvents Gateway::makeBleEvents() {
    ble::BluezEvents events;
    events.heartRate = [this](const ble::BandAddress& a, const ble::HeartRateMeasurement& m,
                              std::chrono::steady_clock::time_point arrival) {
        if (auto* band = bandFor(a)) {
            band->pipeline->onHeartRate(m, arrival);
        }
    };
    events.sensorBatch = [this](const ble::BandAddress& a, const ble::SensorBatch& batch,
                                std::chrono::steady_clock::time_point arrival) {
        if (auto* band = bandFor(a)) {
            band->pipeline->onSensorBatch(batch, arrival);
        }
    };
    events.linkState = [this](const ble::BandAddress& a, ble::LinkState state) {
        if (auto* band = bandFor(a)) {
            if (state == ble::LinkState::Disconnected) {
                band->pipeline->onLinkLost();
            }
            band->link = state;
        }
    };
    events.malformed = [this](const ble::BandAddress& a, ble::DecodeError) {
        if (auto* band = bandFor(a)) {
            ++band->malformed;
        }
    };
    return events;
}

Gateway::Band* Gateway::bandFor(const ble::BandAddress& address) {
    auto it = bands_.find(address.str());
    return it == bands_.end() ? nullptr : it->second.get();
}

void Gateway::startBand(const storage::ParticipantRecord& participant) {
    auto address = ble::BandAddress::parse(participant.bandAddress);
    if (!address) {
        spdlog::error("gateway: vault holds an unreadable band address; participant skipped");
        return;
    }
    PipelineConfig pipelineConfig = config_.pipeline;
    pipelineConfig.hrvConsented = participant.signals.contains(storage::Signal::Hrv);
    pipelineConfig.edaConsented = participant.signals.contains(storage::Signal::Eda);

    auto band = std::make_unique<Band>(
        Band{participant, *address, nullptr, ble::LinkState::Disconnected, 0});
    const storage::ParticipantId id = participant.id;
    band->pipeline = std::make_unique<BandPipeline>(
        pipelineConfig, clock_,
        [this, id](RecordKind kind, std::int64_t startMs, std::int64_t endMs,
                   const std::string& j) {
            store(PendingRecord{id, signalOf(kind), startMs, endMs, j});
        });

    // Only what the worker consented to is subscribed at all; the pipeline
    // drops anything else that arrives regardless.
    ble::Subscriptions subscriptions;
    subscriptions.heartRate = pipelineConfig.hrvConsented;
    subscriptions.eda = pipelineConfig.edaConsented;
    session_->watch(*address, subscriptions);
    bands_[address->str()] = std::move(band);
}

void Gateway::store(PendingRecord record) {
    if (pending_.size() >= kMaxPendingRecords) {
        spdlog::error("vault: retry queue full, oldest unstored window dropped");
        pending_.pop_front();
    }
    pending_.push_back(std::move(record));
    retryPending();
}

// Stores queued rows in order; on the first failure (disk full, I/O error)
// keeps the rest queued and tries again later, so a passing fault loses
// nothing and the order of windows is kept.
void Gateway::retryPending() {
    while (!pending_.empty()) {
        const auto& r = pending_.front();
        const auto* bytes = reinterpret_cast<const std::uint8_t*>(r.json.data());
        const auto ec = vault_->storeWindow(r.participant, r.signal, r.startMs, r.endMs,
                                            {bytes, r.json.size()});
        if (ec) {
            if (storeFailures_++ == 0 || pending_.size() == 1) {
                spdlog::error("vault: window not stored, will retry: {}", ec.message());
            }
            retryTimer_.expires_after(kRetryInterval);
            retryTimer_.async_wait([this](boost::system::error_code waitError) {
                if (!waitError) {
                    retryPending();
                }
            });
            return;
        }
        ++storedRows_;
        pending_.pop_front();
    }
}

}  // namespace wardgate::daemon

// wardgated's wiring: the BlueZ session, one pipeline per enrolled band, the
// vault and the control socket, all driven by one io_context.
//
// Construction opens the vault and the control socket and starts watching
// every enrolled band; it throws (with a message naming the file, socket or
// bus) when any of them cannot be set up. After that nothing a band or a
// client sends can throw out of the event loop.
#pragma once

#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "ble/bluez_session.hpp"
#include "daemon/band_pipeline.hpp"
#include "daemon/control_server.hpp"
#include "daemon/stream_clock.hpp"
#include "storage/vault.hpp"

namespace wardgate::daemon {

struct GatewayConfig {
    std::filesystem::path stateDir = "/var/lib/wardgate";
    std::filesystem::path socketPath = "/run/wardgate/control.sock";
    unsigned socketMode = 0666;
    double timeScale = 1.0;
    std::chrono::seconds epochLength{std::chrono::hours(24)};
    PipelineConfig pipeline;
};

class Gateway {
  public:
    Gateway(boost::asio::io_context& io, GatewayConfig config);
    ~Gateway();
    Gateway(const Gateway&) = delete;
    Gateway& operator=(const Gateway&) = delete;

    // Stops watching bands and wipes the in-memory epoch keys. Windows still
    // open are dropped, not stored half-full.
    void shutdown();

  private:
    // One enrolled band: its participant and the pipeline its data runs through.
    struct Band {
        storage::ParticipantRecord participant;
        ble::BandAddress address;
        std::unique_ptr<BandPipeline> pipeline;
        ble::LinkState link = ble::LinkState::Disconnected;
        std::uint64_t malformed = 0;
    };
    struct PendingRecord {
        storage::ParticipantId participant;
        storage::Signal signal;
        std::int64_t startMs;
        std::int64_t endMs;
        std::string json;
    };
    struct Challenge {
        std::vector<std::uint8_t> secret;
        std::chrono::steady_clock::time_point expires;
    };

    void lockStateDir();
    ble::BluezEvents makeBleEvents();
    void startBand(const storage::ParticipantRecord& participant);
    void store(PendingRecord record);
    void retryPending();
    Band* bandFor(const ble::BandAddress& address);

    void handle(const nlohmann::json& request, const PeerCredentials& peer,
                const ControlServer::Reply& reply);
    void handleScan(const nlohmann::json& request, const ControlServer::Reply& reply);
    void handlePair(const nlohmann::json& request, const ControlServer::Reply& reply);
    void pairWhenSeen(const ble::BandAddress& address, const storage::Enrolment& enrolment,
                      const ControlServer::Reply& reply, int stepsLeft);
    void startPairing(const ble::BandAddress& address, const storage::Enrolment& enrolment,
                      const ControlServer::Reply& reply);
    void handleStatus(const ControlServer::Reply& reply);
    void handleRecords(const nlohmann::json& request, const ControlServer::Reply& reply);
    void handleWithdrawChallenge(const nlohmann::json& request, const ControlServer::Reply& reply);
    void handleWithdraw(const nlohmann::json& request, const ControlServer::Reply& reply);
    [[nodiscard]] std::optional<storage::ParticipantRecord> participantFrom(
        const nlohmann::json& request) const;

    boost::asio::io_context& io_;
    int lockFd_ = -1;
    GatewayConfig config_;
    StreamClock clock_;
    std::unique_ptr<storage::Vault> vault_;
    std::unique_ptr<ble::BluezSession> session_;
    std::unique_ptr<ControlServer> control_;
    std::map<std::string, std::unique_ptr<Band>> bands_;  // keyed by band address
    std::map<std::string, Challenge> challenges_;         // keyed by participant id
    std::deque<PendingRecord> pending_;                   // rows the vault could not take yet
    boost::asio::steady_timer retryTimer_;
    std::uint64_t storedRows_ = 0;
    std::uint64_t storeFailures_ = 0;
    int activeScans_ = 0;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace wardgate::daemon

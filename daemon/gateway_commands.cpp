// The control-socket commands of wardgated. Each answers exactly once with
// {"ok": true, ...} or {"ok": false, "error": "..."}; see
// docs/control-protocol.md.

#include <algorithm>

#include <boost/asio/steady_timer.hpp>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include "daemon/control_protocol.hpp"
#include "daemon/gateway.hpp"
#include "storage/crypto.hpp"

namespace wardgate::daemon {

namespace asio = boost::asio;
using nlohmann::json;

namespace {

constexpr int kMaxScanSeconds = 30;
constexpr auto kChallengeLifetime = std::chrono::minutes(2);
constexpr std::size_t kChallengeBytes = 32;
constexpr int kPairDiscoverySteps = 20;
constexpr auto kPairDiscoveryStep = std::chrono::milliseconds(500);

json failure(std::string message) {
    return {{"ok", false}, {"error", std::move(message)}};
}

// Status shows only the end of a band's address: enough for a worker to
// recognise their own band, not a full identifier for anyone reading over
// their shoulder or a log.
std::string maskedAddress(const std::string& address) {
    return address.size() > 6 ? "..:" + address.substr(address.size() - 5) : address;
}

std::string stringField(const json& request, const char* key) {
    const auto it = request.find(key);
    return it != request.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

}  // namespace

void Gateway::handle(const json& request, const PeerCredentials& peer,
                     const ControlServer::Reply& reply) {
    const std::string cmd = request["cmd"].get<std::string>();
    spdlog::debug("control: cmd={} uid={}", cmd, peer.uid);
    if (cmd == "ping") {
        reply({{"ok", true}, {"protocol", control::kProtocolVersion}});
    } else if (cmd == "scan") {
        if (request.contains("seconds") && !request["seconds"].is_number_integer()) {
            reply(failure("scan: \"seconds\" must be a whole number from 1 to 30"));
            return;
        }
        handleScan(request, reply);
    } else if (cmd == "pair") {
        handlePair(request, reply);
    } else if (cmd == "status") {
        handleStatus(reply);
    } else if (cmd == "records") {
        handleRecords(request, reply);
    } else if (cmd == "withdraw-challenge") {
        handleWithdrawChallenge(request, reply);
    } else if (cmd == "withdraw") {
        handleWithdraw(request, reply);
    } else {
        reply(failure("unknown command \"" + cmd +
                      "\" (known: ping, scan, pair, status, records, withdraw-challenge, "
                      "withdraw)"));
    }
}

void Gateway::handleScan(const json& request, const ControlServer::Reply& reply) {
    const int seconds = request.value("seconds", 5);
    if (seconds < 1 || seconds > kMaxScanSeconds) {
        reply(failure("scan: \"seconds\" must be between 1 and 30"));
        return;
    }
    if (activeScans_++ == 0) {
        session_->startDiscovery();
    }
    auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::seconds(seconds));
    timer->async_wait([this, timer, reply](boost::system::error_code) {
        json bands = json::array();
        for (const auto& band : session_->discovered()) {
            json entry{{"address", band.address.str()},
                       {"name", band.name},
                       {"paired", band.paired},
                       {"enrolled", bands_.contains(band.address.str())}};
            entry["rssi"] = band.rssi ? json(*band.rssi) : json(nullptr);
            bands.push_back(std::move(entry));
        }
        if (--activeScans_ == 0) {
            session_->stopDiscovery();
        }
        reply({{"ok", true}, {"bands", std::move(bands)}});
    });
}

void Gateway::handlePair(const json& request, const ControlServer::Reply& reply) {
    const auto address = ble::BandAddress::parse(stringField(request, "address"));
    if (!address) {
        reply(failure("pair: \"address\" must look like AA:BB:CC:DD:EE:FF"));
        return;
    }
    const auto signals = storage::SignalSet::parse(stringField(request, "signals"));
    if (!signals || signals->empty()) {
        reply(failure("pair: \"signals\" must name at least one of hrv, eda"));
        return;
    }
    if (signals->contains(storage::Signal::Activity)) {
        // TODO(#4): accept activity once sleep and activity features exist.
        reply(failure("pair: activity is not collected yet; choose hrv and/or eda"));
        return;
    }
    if (vault_->findByBand(address->str())) {
        reply(failure("pair: this band is already enrolled; its wearer can withdraw it first"));
        return;
    }
    storage::Enrolment enrolment;
    try {
        enrolment.bandAddress = address->str();
        enrolment.signals = *signals;
        enrolment.participantKey = request.at("public_key").get<storage::PublicKey>();
        enrolment.wrappedKey = request.at("wrapped_key").get<storage::WrappedSecretKey>();
        enrolment.consentVersion = stringField(request, "consent_version");
    } catch (const std::exception&) {
        reply(failure("pair: \"public_key\" and \"wrapped_key\" are missing or malformed"));
        return;
    }
    pairWhenSeen(*address, enrolment, reply, kPairDiscoverySteps);
}

// A band BlueZ has not seen yet (no scan since start, or just withdrawn)
// cannot be paired: discover for a while until it shows up, then pair.
void Gateway::pairWhenSeen(const ble::BandAddress& address, const storage::Enrolment& enrolment,
                           const ControlServer::Reply& reply, int stepsLeft) {
    const auto known = session_->discovered();
    const bool seen = std::any_of(known.begin(), known.end(),
                                  [&](const auto& band) { return band.address == address; });
    if (!seen && stepsLeft > 0) {
        if (stepsLeft == kPairDiscoverySteps && activeScans_++ == 0) {
            session_->startDiscovery();
        }
        auto timer = std::make_shared<asio::steady_timer>(io_, kPairDiscoveryStep);
        timer->async_wait(
            [this, timer, address, enrolment, reply, stepsLeft](boost::system::error_code) {
                pairWhenSeen(address, enrolment, reply, stepsLeft - 1);
            });
        return;
    }
    if (stepsLeft < kPairDiscoverySteps && --activeScans_ == 0) {
        session_->stopDiscovery();
    }
    if (!seen) {
        reply(
            failure("pair: no band with that address is in range; wake the band (put it on or "
                    "tap it) and try again"));
        return;
    }
    startPairing(address, enrolment, reply);
}

void Gateway::startPairing(const ble::BandAddress& address, const storage::Enrolment& enrolment,
                           const ControlServer::Reply& reply) {
    session_->pair(address, [this, enrolment, reply](std::optional<std::string> error) {
        if (error) {
            reply(failure("pair: the band did not pair: " + *error));
            return;
        }
        try {
            const auto id = vault_->enrol(enrolment);
            startBand(*vault_->find(id));
            spdlog::info("gateway: participant enrolled");
            reply({{"ok", true}, {"participant", id.toString()}});
        } catch (const std::exception& e) {
            reply(failure(std::string("pair: ") + e.what()));
        }
    });
}

void Gateway::handleStatus(const ControlServer::Reply& reply) {
    const double nowS = clock_.nowS();
    json bands = json::array();
    for (const auto& [address, band] : bands_) {
        const auto& counters = band->pipeline->counters();
        const auto last = band->pipeline->lastDataStreamS();
        const auto battery = session_->batteryPercent(band->address);
        bands.push_back(
            json{{"band", maskedAddress(address)},
                 {"link", std::string(ble::toString(band->link))},
                 {"battery_percent", battery ? json(*battery) : json(nullptr)},
                 {"last_data_age_s", last ? json((nowS - *last) / clock_.scale()) : json(nullptr)},
                 {"notifications", counters.notifications},
                 {"windows", counters.windows},
                 {"malformed_packets", band->malformed}});
    }
    const auto stats = vault_->stats();
    json degraded = json::array();
    if (!pending_.empty()) {
        degraded.push_back("vault_write_failing");
    }
    reply(json{{"ok", true},
               {"uptime_s",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count()},
               {"bands", std::move(bands)},
               {"vault",
                {{"participants", stats.participants},
                 {"rows", stats.rows},
                 {"bytes", stats.databaseBytes + stats.walBytes},
                 {"rows_stored_since_start", storedRows_},
                 {"rows_waiting", pending_.size()}}},
               {"degraded", std::move(degraded)}});
}

std::optional<storage::ParticipantRecord> Gateway::participantFrom(const json& request) const {
    if (const auto id = storage::ParticipantId::parse(stringField(request, "participant"))) {
        return vault_->find(*id);
    }
    if (const auto address = ble::BandAddress::parse(stringField(request, "band"))) {
        return vault_->findByBand(address->str());
    }
    return std::nullopt;
}

void Gateway::handleRecords(const json& request, const ControlServer::Reply& reply) {
    const auto participant = participantFrom(request);
    if (!participant) {
        reply(failure("no worker is enrolled with that band address or participant code"));
        return;
    }
    std::optional<std::int64_t> fromMs;
    std::optional<std::int64_t> toMs;
    if (request.contains("from_ms") && request["from_ms"].is_number_integer()) {
        fromMs = request["from_ms"].get<std::int64_t>();
    }
    if (request.contains("to_ms") && request["to_ms"].is_number_integer()) {
        toMs = request["to_ms"].get<std::int64_t>();
    }
    // Only ciphertext leaves: the worker's own client opens it with their key.
    reply({{"ok", true},
           {"participant", participant->id.toString()},
           {"records", vault_->sealedRecordsFor(participant->id, fromMs, toMs)}});
}

void Gateway::handleWithdrawChallenge(const json& request, const ControlServer::Reply& reply) {
    const auto participant = participantFrom(request);
    if (!participant) {
        reply(failure("no worker is enrolled with that band address or participant code"));
        return;
    }
    // Proof of the worker's key: only its holder can open a random secret
    // sealed to their public key and send it back.
    Challenge challenge{std::vector<std::uint8_t>(kChallengeBytes),
                        std::chrono::steady_clock::now() + kChallengeLifetime};
    randombytes_buf(challenge.secret.data(), challenge.secret.size());
    const auto sealed = storage::sealTo(participant->participantKey, challenge.secret);
    challenges_[participant->id.toString()] = std::move(challenge);
    reply({{"ok", true},
           {"participant", participant->id.toString()},
           {"challenge", storage::toBase64(sealed)},
           {"records", vault_->sealedRecordsFor(participant->id, 0, 0)}});
}

void Gateway::handleWithdraw(const json& request, const ControlServer::Reply& reply) {
    const auto participant = participantFrom(request);
    if (!participant) {
        reply(failure("no worker is enrolled with that band address or participant code"));
        return;
    }
    const auto it = challenges_.find(participant->id.toString());
    const auto answer = storage::fromBase64(stringField(request, "response"));
    const bool valid = it != challenges_.end() &&
                       it->second.expires > std::chrono::steady_clock::now() && answer &&
                       answer->size() == it->second.secret.size() &&
                       sodium_memcmp(answer->data(), it->second.secret.data(), answer->size()) == 0;
    if (it != challenges_.end()) {
        challenges_.erase(it);
    }
    if (!valid) {
        reply(failure("withdraw: the key proof did not match; ask for a new challenge"));
        return;
    }

    const auto address = ble::BandAddress::parse(participant->bandAddress);
    bands_.erase(participant->bandAddress);
    std::erase_if(pending_, [&](const PendingRecord& r) {
        return r.participant.toString() == participant->id.toString();
    });
    vault_->withdraw(participant->id);
    spdlog::info("gateway: participant withdrew; their data was destroyed");
    if (!address) {
        reply({{"ok", true}});
        return;
    }
    session_->remove(*address, [reply](std::optional<std::string> error) {
        json done{{"ok", true}};
        if (error) {
            done["warning"] = "data destroyed, but the band could not be unpaired: " + *error;
        }
        reply(done);
    });
}

}  // namespace wardgate::daemon

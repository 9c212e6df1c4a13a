// me and withdraw: the commands where a worker proves who they are with their
// own key. The daemon only ever sends ciphertext; the worker's passphrase
// unwraps their key here, in this process, and never leaves it.

#include <ctime>
#include <iostream>

#include <fmt/format.h>

#include "storage/crypto.hpp"
#include "storage/vault.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/control_client.hpp"
#include "tools/cli/passphrase.hpp"

namespace wardgate::cli {
namespace {

using nlohmann::json;

struct WhoOptions {
    std::string band;
    std::string participant;
    std::string passphraseFile;
};

void addWhoOptions(CLI::App* cmd, WhoOptions& who) {
    auto* band = cmd->add_option("--band", who.band, "Your band's address");
    auto* id = cmd->add_option("--participant", who.participant, "Your participant code (p-...)");
    band->excludes(id);
    cmd->add_option("--passphrase-file", who.passphraseFile,
                    "Read your passphrase from this file (for scripts)");
}

json whoFields(const WhoOptions& who) {
    if (!who.band.empty()) {
        return {{"band", who.band}};
    }
    if (!who.participant.empty()) {
        return {{"participant", who.participant}};
    }
    throw CliError("say whose data this is: --band ADDRESS or --participant CODE");
}

// Unwraps the worker's secret key with their passphrase.
storage::KeyPair unlock(const storage::SealedRecords& records, const WhoOptions& who) {
    const std::string passphrase = obtainPassphrase(who.passphraseFile, "Your passphrase: ");
    auto secret = storage::unwrapSecretKey(records.wrappedKey, passphrase);
    if (!secret) {
        throw CliError("wrong passphrase (nothing was shown or changed)");
    }
    return storage::KeyPair{records.participantKey, std::move(*secret)};
}

// What a worker's own request returns once their passphrase has opened it.
struct Unlocked {
    json answer;
    storage::SealedRecords records;
    storage::KeyPair keys;
};

// Sends `cmd` for the worker named in `who` and unlocks the answer's records
// with their passphrase.
Unlocked requestAndUnlock(ControlClient& client, const WhoOptions& who, const char* cmd) {
    json request = whoFields(who);
    request["cmd"] = cmd;
    json answer = client.call(request);
    try {
        auto records = answer.at("records").get<storage::SealedRecords>();
        auto keys = unlock(records, who);
        return Unlocked{std::move(answer), std::move(records), std::move(keys)};
    } catch (const nlohmann::json::exception&) {
        throw CliError("wardgated sent records this CLI cannot read (version mismatch?)");
    }
}

std::string localTime(std::int64_t ms) {
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    localtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", &tm);
    return text;
}

std::string cell(const json& features, const char* name, const char* format) {
    const auto it = features.find(name);
    if (it == features.end() || it->is_null()) {
        return "-";
    }
    return fmt::format(fmt::runtime(format), it->get<double>());
}

void printTable(const std::vector<json>& windows) {
    std::cout << "Your own sense of how you are doing comes first; these numbers only add to "
                 "it.\n\n";
    std::cout << fmt::format("{:<20} {:<4} {:>5} {:>8} {:>7} {:>7} {:>6} {:>8} {:>5}\n",
                             "WINDOW START", "SIG", "N", "MeanNN", "SDNN", "RMSSD", "pNN50",
                             "SCL uS", "SCRs");
    for (const auto& w : windows) {
        const auto& f = w["features"];
        const bool hrv = w["signal"] == "hrv";
        const auto n = hrv ? w.value("n_intervals", 0) : w.value("n_samples", 0);
        std::cout << fmt::format("{:<20} {:<4} {:>5} {:>8} {:>7} {:>7} {:>6} {:>8} {:>5}\n",
                                 localTime(w["window_start_ms"].get<std::int64_t>()),
                                 w["signal"].get<std::string>(), n, cell(f, "MeanNN", "{:.1f}"),
                                 cell(f, "SDNN", "{:.1f}"), cell(f, "RMSSD", "{:.1f}"),
                                 cell(f, "pNN50", "{:.1f}"), cell(f, "SCL_mean", "{:.3f}"),
                                 cell(f, "SCR_count", "{:.0f}"));
    }
    if (windows.empty()) {
        std::cout << "(no complete windows yet: the first appears five minutes after your band "
                     "starts streaming)\n";
    }
}

}  // namespace

void addMeCommand(CLI::App& app, const GlobalOptions& global) {
    auto who = std::make_shared<WhoOptions>();
    auto last = std::make_shared<std::size_t>(0);
    auto* cmd = app.add_subcommand("me", "Read your own features (asks for your passphrase)");
    addWhoOptions(cmd, *who);
    cmd->add_option("--last", *last, "Only the last N windows");
    cmd->callback([&global, who, last] {
        ControlClient client(resolveSocketPath(global.socket));
        const Unlocked mine = requestAndUnlock(client, *who, "records");

        std::vector<json> windows;
        try {
            for (const auto& row :
                 storage::openRecords(mine.records, mine.keys.publicKey, mine.keys.secretKey)) {
                windows.push_back(json::parse(row.plaintext.begin(), row.plaintext.end()));
            }
        } catch (const storage::RecordAuthenticationError& e) {
            throw CliError(std::string("your stored features failed their integrity check, so "
                                       "none are shown; tell ward IT the vault may have been "
                                       "tampered with (") +
                           e.what() + ")");
        }
        if (*last > 0 && windows.size() > *last) {
            windows.erase(windows.begin(), windows.end() - static_cast<std::ptrdiff_t>(*last));
        }
        if (global.json) {
            for (const auto& w : windows) {
                std::cout << w.dump() << "\n";
            }
        } else {
            printTable(windows);
        }
    });
}

void addWithdrawCommand(CLI::App& app, const GlobalOptions& global) {
    auto who = std::make_shared<WhoOptions>();
    auto yes = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand(
        "withdraw", "Leave: unpair your band and destroy everything stored about you");
    addWhoOptions(cmd, *who);
    cmd->add_flag("--yes", *yes, "Do not ask for confirmation");
    cmd->callback([&global, who, yes] {
        ControlClient client(resolveSocketPath(global.socket));
        const Unlocked mine = requestAndUnlock(client, *who, "withdraw-challenge");

        const auto sealed = storage::fromBase64(mine.answer.value("challenge", std::string{}));
        const auto secret =
            sealed ? storage::openSealed(mine.keys.publicKey, mine.keys.secretKey, *sealed)
                   : std::nullopt;
        if (!secret) {
            throw CliError("the gateway's challenge could not be opened with your key");
        }
        if (!*yes) {
            std::cout << "This unpairs your band and permanently destroys all your stored "
                         "features.\n";
            std::cout << "Type \"withdraw\" to confirm: " << std::flush;
            std::string answer;
            if (!std::getline(std::cin, answer) || answer != "withdraw") {
                throw CliError("not confirmed; nothing was changed");
            }
        }
        json confirm = whoFields(*who);
        confirm["cmd"] = "withdraw";
        confirm["response"] = storage::toBase64({secret->data(), secret->size()});
        const json answer = client.call(confirm);
        std::cout << "Withdrawn. Your band is unpaired and your data is destroyed.\n";
        if (answer.contains("warning")) {
            std::cout << "Note: " << answer["warning"].get<std::string>() << "\n";
        }
    });
}

}  // namespace wardgate::cli

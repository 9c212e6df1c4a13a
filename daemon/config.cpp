#include "daemon/config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

namespace wardgate::daemon {
namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const toml::source_region& where,
                       std::string_view key, const std::string& what) {
    throw ConfigError(fmt::format("{}:{}: {}: {}", file.string(), where.begin.line, key, what));
}

template <class T>
std::optional<T> number(const std::filesystem::path& file, const toml::table& table,
                        std::string_view key, double lo, double hi) {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    const auto value = node->value<double>();
    if (!value || *value < lo || *value > hi) {
        fail(file, node->source(), key, fmt::format("must be a number from {} to {}", lo, hi));
    }
    return static_cast<T>(*value);
}

std::optional<std::string> text(const std::filesystem::path& file, const toml::table& table,
                                std::string_view key) {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    if (!node->is_string()) {
        fail(file, node->source(), key, "must be a quoted string");
    }
    return node->value<std::string>();
}

void checkKnown(const std::filesystem::path& file, const toml::table& table,
                std::initializer_list<std::string_view> known) {
    for (const auto& [key, node] : table) {
        if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
            fail(file, node.source(), key.str(),
                 fmt::format("unknown key (known here: {})", fmt::join(known, ", ")));
        }
    }
}

}  // namespace

void loadConfigFile(const std::filesystem::path& path, GatewayConfig& config) {
    if (std::filesystem::is_directory(path)) {
        throw ConfigError(path.string() + ": is a directory, not a configuration file");
    }
    toml::table root;
    try {
        root = toml::parse_file(path.string());
    } catch (const toml::parse_error& e) {
        throw ConfigError(
            fmt::format("{}:{}: {}", path.string(), e.source().begin.line, e.description()));
    }
    checkKnown(path, root, {"state_dir", "socket", "socket_mode", "epoch_hours", "hrv", "eda"});
    for (const auto* section : {"hrv", "eda"}) {
        if (const toml::node* node = root.get(section); node != nullptr && !node->is_table()) {
            fail(path, node->source(), section,
                 "must be a table, written [" + std::string(section) + "] on its own line");
        }
    }
    if (auto v = text(path, root, "state_dir")) {
        config.stateDir = *v;
    }
    if (auto v = text(path, root, "socket")) {
        config.socketPath = *v;
    }
    if (const toml::node* node = root.get("socket_mode")) {
        const auto mode = node->value<std::int64_t>();
        if (!node->is_integer() || !mode || *mode < 0 || *mode > 0777) {
            fail(path, node->source(), "socket_mode",
                 "must be a permission mode written in octal, e.g. 0o660");
        }
        config.socketMode = static_cast<unsigned>(*mode);
    }
    if (auto v = number<double>(path, root, "epoch_hours", 1, 24 * 7)) {
        config.epochLength = std::chrono::seconds(static_cast<long>(*v * 3600));
    }
    for (const auto* section : {"hrv", "eda"}) {
        const toml::table* table = root[section].as_table();
        if (table == nullptr) {
            continue;
        }
        checkKnown(path, *table, {"window_s", "hop_s"});
        auto& spec = std::string_view(section) == "hrv" ? config.pipeline.hrvWindow
                                                        : config.pipeline.edaWindow;
        if (auto v = number<double>(path, *table, "window_s", 30, 3600)) {
            spec.lengthS = *v;
        }
        if (auto v = number<double>(path, *table, "hop_s", 10, 3600)) {
            spec.hopS = *v;
        }
        if (spec.hopS > spec.lengthS) {
            fail(path, table->source(), section, "hop_s must not exceed window_s");
        }
    }
}

}  // namespace wardgate::daemon

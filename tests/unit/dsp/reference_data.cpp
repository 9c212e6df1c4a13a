#include "reference_data.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace wardgate::dsp::testing {
namespace {

const std::filesystem::path kDataDir = WARDGATE_TEST_DATA_DIR;

std::vector<std::string> splitCsv(const std::string& line) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) {
        cells.push_back(cell);
    }
    if (!line.empty() && line.back() == ',') {
        cells.emplace_back();
    }
    return cells;
}

std::vector<RrInterval> markSuccessive(std::vector<RrInterval> rr) {
    for (std::size_t i = 1; i < rr.size(); ++i) {
        rr[i].successive = std::abs((rr[i].endS - rr[i - 1].endS) * 1000.0 - rr[i].rrMs) <= 10.0;
    }
    return rr;
}

// Column name in the reference files -> our feature name.
std::optional<std::string> ourName(std::string col) {
    if (col.rfind("HRV_", 0) != 0) {
        return std::nullopt;
    }
    col = col.substr(4);
    const auto endsWith = [&](const std::string& suffix) {
        return col.size() > suffix.size() &&
               col.compare(col.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (endsWith("_LOMB_ABS")) {
        return col.substr(0, col.size() - 9) + "_LOMB";
    }
    if (endsWith("_ABS")) {
        return col.substr(0, col.size() - 4);
    }
    if (endsWith("_LOMB")) {
        return std::nullopt;  // PSD-max-normalised: not compared
    }
    static const char* kNormalised[] = {"ULF", "VLF",  "LF",  "HF",  "VHF",
                                        "TP",  "LFHF", "LFn", "HFn", "LnHF"};
    for (const char* n : kNormalised) {
        if (col == n) {
            return std::nullopt;
        }
    }
    return col;
}

void addJsonGroup(const nlohmann::json& group, const std::string& suffix, ReferenceValues& out) {
    for (const auto& [key, value] : group.items()) {
        if (key.rfind("HRV_", 0) != 0) {
            continue;
        }
        const std::string name = key.substr(4) + suffix;
        out[name] = value.is_number() ? std::optional<double>(value.get<double>()) : std::nullopt;
    }
}

}  // namespace

std::vector<RrInterval> withCumulativeTimes(std::vector<RrInterval> rr) {
    double t = 0.0;
    for (auto& r : rr) {
        t += r.rrMs / 1000.0;
        r.endS = t;
    }
    return markSuccessive(std::move(rr));
}

std::vector<RrInterval> loadRr(const std::string& id, bool useTimes) {
    std::ifstream in(kDataDir / "rr" / (id + ".csv"));
    if (!in) {
        throw std::runtime_error("cannot open rr/" + id + ".csv");
    }
    std::string line;
    std::getline(in, line);
    std::vector<RrInterval> rr;
    while (std::getline(in, line)) {
        const auto cells = splitCsv(line);
        if (cells.size() >= 2) {
            rr.push_back(RrInterval{std::stod(cells[0]), std::stod(cells[1]), true});
        }
    }
    return useTimes ? markSuccessive(std::move(rr)) : withCumulativeTimes(std::move(rr));
}

std::vector<std::string> referenceRecordingIds() {
    std::vector<std::string> ids;
    for (const auto& e : std::filesystem::directory_iterator(kDataDir / "reference")) {
        const auto name = e.path().filename().string();
        const auto pos = name.find("__hrv_full.json");
        if (pos != std::string::npos) {
            ids.push_back(name.substr(0, pos));
        }
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

ReferenceRecording loadReference(const std::string& id) {
    ReferenceRecording rec;
    rec.id = id;
    std::ifstream jin(kDataDir / "reference" / (id + "__hrv_full.json"));
    const auto j = nlohmann::json::parse(jin);
    rec.useTimes = j.value("use_rri_time", true);
    rec.nIntervals = j.value("n_intervals", std::size_t{0});
    const auto& full = j.at("full");
    addJsonGroup(full.at("time"), "", rec.full);
    addJsonGroup(full.at("freq_welch_abs"), "", rec.full);
    addJsonGroup(full.at("freq_lomb_abs"), "_LOMB", rec.full);
    rec.fullNonlinear = !full.at("nonlinear").contains("skipped");
    if (rec.fullNonlinear) {
        addJsonGroup(full.at("nonlinear"), "", rec.full);
    }

    std::ifstream cin(kDataDir / "reference" / (id + "__hrv_win300s.csv"));
    if (!cin) {
        return rec;
    }
    std::string line;
    std::getline(cin, line);
    const auto header = splitCsv(line);
    while (std::getline(cin, line)) {
        const auto cells = splitCsv(line);
        ReferenceWindow w{};
        for (std::size_t c = 0; c < header.size() && c < cells.size(); ++c) {
            const auto& h = header[c];
            const auto& v = cells[c];
            if (h == "window") {
                w.index = std::stoi(v);
            } else if (h == "t_start_s") {
                w.startS = std::stod(v);
            } else if (h == "t_end_s") {
                w.endS = std::stod(v);
            } else if (h == "first_row") {
                w.firstRow = std::stoul(v);
            } else if (h == "last_row") {
                w.lastRow = std::stoul(v);
            } else if (const auto name = ourName(h)) {
                w.values[*name] = v.empty() ? std::nullopt : std::optional<double>(std::stod(v));
            }
        }
        rec.windows.push_back(std::move(w));
    }
    return rec;
}

}  // namespace wardgate::dsp::testing

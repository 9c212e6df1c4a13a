#include "tools/bandsim/recording.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>

#include <fmt/format.h>

namespace wardgate::bandsim {

namespace {

struct CsvRow {
    double first = 0.0;
    double second = 0.0;
};

[[noreturn]] void fail(const std::filesystem::path& file, std::size_t line, std::string_view why) {
    throw InputError(fmt::format("{}:{}: {}", file.string(), line, why));
}

std::optional<double> parseNumber(std::string_view text) {
    double value = 0.0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

std::optional<CsvRow> parseRow(std::string_view line) {
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    const auto comma = line.find(',');
    if (comma == std::string_view::npos) {
        return std::nullopt;
    }
    const auto a = parseNumber(line.substr(0, comma));
    const auto b = parseNumber(line.substr(comma + 1));
    if (!a || !b) {
        return std::nullopt;
    }
    return CsvRow{*a, *b};
}

// Reads a two-column numeric CSV whose first line is the expected header.
template <class OnRow>
void readCsv(const std::filesystem::path& file, std::string_view header, OnRow&& onRow) {
    std::ifstream in(file);
    if (!in) {
        fail(file, 0, "cannot open file");
    }
    std::string line;
    std::size_t lineNo = 1;
    if (!std::getline(in, line) || line.rfind(header, 0) != 0) {
        fail(file, 1, fmt::format("expected header '{}'", header));
    }
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.empty() || line == "\r") {
            continue;
        }
        const auto row = parseRow(line);
        if (!row) {
            fail(file, lineNo, "malformed line, expected two numbers");
        }
        onRow(*row, lineNo);
    }
}

}  // namespace

std::vector<RrSample> loadRrCsv(const std::filesystem::path& file) {
    std::vector<RrSample> samples;
    readCsv(file, "t_s,rr_ms", [&](const CsvRow& row, std::size_t lineNo) {
        if (row.second <= 0.0) {
            fail(file, lineNo, "rr_ms must be positive");
        }
        if (!samples.empty() && row.first < samples.back().tS) {
            fail(file, lineNo, "t_s goes backwards");
        }
        samples.push_back({row.first, row.second});
    });
    return samples;
}

EdaRecording loadEdaCsv(const std::filesystem::path& file) {
    EdaRecording rec;
    std::size_t lastLine = 1;
    readCsv(file, "t_s,eda_us", [&](const CsvRow& row, std::size_t lineNo) {
        if (!rec.tS.empty() && row.first <= rec.tS.back()) {
            fail(file, lineNo, "t_s must increase");
        }
        rec.tS.push_back(row.first);
        rec.microsiemens.push_back(row.second);
        lastLine = lineNo;
    });
    if (rec.tS.size() < 2) {
        fail(file, lastLine, "an EDA recording needs at least two samples");
    }
    const double span = rec.tS.back() - rec.tS.front();
    rec.rateHz = static_cast<double>(rec.tS.size() - 1) / span;
    constexpr double kMinRateHz = 0.01;  // the batch format's u16 in 0.01 Hz
    constexpr double kMaxRateHz = 655.35;
    if (rec.rateHz < kMinRateHz || rec.rateHz > kMaxRateHz) {
        fail(file, lastLine,
             fmt::format("sample rate {:.3f} Hz is outside 0.01..655.35 Hz", rec.rateHz));
    }
    return rec;
}

bool isValidAddress(std::string_view address) noexcept {
    constexpr std::size_t kLength = 17;
    if (address.size() != kLength) {
        return false;
    }
    for (std::size_t i = 0; i < kLength; ++i) {
        const bool separator = i % 3 == 2;
        const auto c = static_cast<unsigned char>(address[i]);
        if (separator ? c != ':' : std::isxdigit(c) == 0) {
            return false;
        }
    }
    return true;
}

namespace {

bool parseYesNo(std::string_view value, std::string_view spec) {
    if (value == "yes" || value == "true" || value == "1") {
        return true;
    }
    if (value == "no" || value == "false" || value == "0") {
        return false;
    }
    throw InputError(fmt::format("--band '{}': paired must be yes or no", spec));
}

void applyBandKey(BandSpec& band, std::string_view key, std::string_view value,
                  std::string_view spec) {
    if (key == "address") {
        band.address = value;
    } else if (key == "name") {
        band.name = value;
    } else if (key == "rr") {
        band.rrPath = std::filesystem::path(value);
    } else if (key == "eda") {
        band.edaPath = std::filesystem::path(value);
    } else if (key == "addresstype" && (value == "random" || value == "public")) {
        band.addressType = value;
    } else if (key == "paired") {
        band.paired = parseYesNo(value, spec);
    } else {
        throw InputError(
            fmt::format("--band '{}': unknown key or value '{}={}'", spec, key, value));
    }
}

}  // namespace

BandSpec parseBandSpec(std::string_view text) {
    BandSpec band;
    std::string_view rest = text;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        const auto eq = item.find('=');
        if (eq == std::string_view::npos) {
            throw InputError(fmt::format("--band '{}': expected key=value, got '{}'", text, item));
        }
        applyBandKey(band, item.substr(0, eq), item.substr(eq + 1), text);
    }
    if (!isValidAddress(band.address)) {
        throw InputError(
            fmt::format("--band '{}': bad or missing address (AA:BB:CC:DD:EE:FF)", text));
    }
    std::transform(band.address.begin(), band.address.end(), band.address.begin(), [](char c) {
        return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    });
    if (band.name.empty()) {
        band.name = "WG-Band " + band.address.substr(band.address.size() - 2);
    }
    return band;
}

}  // namespace wardgate::bandsim

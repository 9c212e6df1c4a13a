#include "tools/analyze/rr_csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

namespace wardgate::analyze {
namespace {

constexpr double kSuccessiveToleranceMs = 10.0;
constexpr double kSecondsLikeMedian = 10.0;  // no heart beats 100 times a second

std::vector<std::string> splitRow(const std::string& line) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream ss(line);
    while (std::getline(ss, cell, ',')) {
        cell.erase(0, cell.find_first_not_of(" \t\r"));
        cell.erase(cell.find_last_not_of(" \t\r") + 1);
        cells.push_back(cell);
    }
    return cells;
}

double parseNumber(const std::string& cell, std::size_t lineNo) {
    double v = 0.0;
    const auto* end = cell.data() + cell.size();
    const auto [ptr, ec] = std::from_chars(cell.data(), end, v);
    if (ec != std::errc() || ptr != end) {
        throw InputError("line " + std::to_string(lineNo) + ": '" + cell + "' is not a number");
    }
    return v;
}

void checkUnits(const std::vector<dsp::RrInterval>& rr) {
    std::vector<double> values;
    values.reserve(rr.size());
    for (const auto& r : rr) {
        values.push_back(r.rrMs);
    }
    const auto mid = values.begin() + static_cast<long>(values.size() / 2);
    std::nth_element(values.begin(), mid, values.end());
    if (*mid < kSecondsLikeMedian) {
        throw InputError("rr_ms values look like seconds (median " + std::to_string(*mid) +
                         "); give RR intervals in milliseconds");
    }
}

}  // namespace

std::vector<dsp::RrInterval> readRrCsv(std::istream& in) {
    std::string line;
    if (!std::getline(in, line)) {
        throw InputError("empty input: expected a header line 't_s,rr_ms'");
    }
    const auto header = splitRow(line);
    const auto col = [&](const std::string& name) {
        const auto it = std::find(header.begin(), header.end(), name);
        if (it == header.end()) {
            throw InputError("header has no '" + name + "' column (expected 't_s,rr_ms')");
        }
        return static_cast<std::size_t>(it - header.begin());
    };
    const std::size_t tCol = col("t_s");
    const std::size_t rrCol = col("rr_ms");

    std::vector<dsp::RrInterval> rr;
    std::size_t lineNo = 1;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.find_first_not_of(" \t\r") == std::string::npos) {
            continue;
        }
        const auto cells = splitRow(line);
        if (cells.size() <= std::max(tCol, rrCol)) {
            throw InputError("line " + std::to_string(lineNo) + ": too few columns");
        }
        rr.push_back(dsp::RrInterval{parseNumber(cells[tCol], lineNo),
                                     parseNumber(cells[rrCol], lineNo), true});
    }
    if (rr.empty()) {
        throw InputError("no data rows after the header");
    }
    checkUnits(rr);
    for (std::size_t i = 1; i < rr.size(); ++i) {
        const double stepMs = (rr[i].endS - rr[i - 1].endS) * 1000.0;
        rr[i].successive = std::abs(stepMs - rr[i].rrMs) <= kSuccessiveToleranceMs;
    }
    return rr;
}

}  // namespace wardgate::analyze

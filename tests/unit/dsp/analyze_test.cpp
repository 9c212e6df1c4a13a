// `wardgate analyze hrv` through its library entry point, on files from tests/data.
#include <cmath>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tools/analyze/analyze_hrv.hpp"
#include "tools/analyze/rr_csv.hpp"

using wardgate::analyze::analyzeHrv;
using wardgate::analyze::AnalyzeHrvOptions;
using wardgate::analyze::InputError;
using wardgate::analyze::OutputFormat;

namespace {

std::vector<nlohmann::ordered_json> runOn(const std::string& csv, const AnalyzeHrvOptions& o) {
    std::istringstream in(csv);
    std::ostringstream out;
    analyzeHrv(o, in, out);
    std::vector<nlohmann::ordered_json> lines;
    std::istringstream rows(out.str());
    std::string line;
    while (std::getline(rows, line)) {
        lines.push_back(nlohmann::ordered_json::parse(line));
    }
    return lines;
}

std::string readFile(const std::string& rel) {
    std::ifstream f(std::string(WARDGATE_TEST_DATA_DIR) + "/" + rel);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("analyze hrv --whole --profile reference reproduces the reference record values") {
    AnalyzeHrvOptions o;
    o.whole = true;
    o.profile = wardgate::dsp::HrvProfile::Reference;
    const auto lines = runOn(readFile("rr/pyhrv_short.csv"), o);
    REQUIRE(lines.size() == 1);
    const auto& j = lines[0];
    std::ifstream refFile(std::string(WARDGATE_TEST_DATA_DIR) +
                          "/reference/pyhrv_short__hrv_full.json");
    const auto ref = nlohmann::json::parse(refFile)["full"];
    CHECK(j["n_intervals"] == 337);
    CHECK(j["MeanNN"].get<double>() ==
          Approx(ref["time"]["HRV_MeanNN"].get<double>()).epsilon(1e-12));
    CHECK(j["LF"].get<double>() ==
          Approx(ref["freq_welch_abs"]["HRV_LF"].get<double>()).epsilon(1e-9));
    CHECK(j["LF_LOMB"].get<double>() ==
          Approx(ref["freq_lomb_abs"]["HRV_LF"].get<double>()).epsilon(1e-9));
    CHECK(j["ULF"].is_null());
    CHECK(j["undefined"]["ULF"] == "too_short");
}

TEST_CASE("analyze hrv prints one object per window with quality fields first") {
    AnalyzeHrvOptions o;
    o.windowS = 120.0;
    o.hopS = 60.0;
    o.domains = wardgate::dsp::HrvDomains{true, false, false, true, false};
    const auto lines = runOn(readFile("rr/nk_resting5min_rr.csv"), o);
    REQUIRE(lines.size() == 5);
    CHECK(lines[0].begin().key() == "window_start_s");
    CHECK(lines[1]["window_start_s"].get<double>() - lines[0]["window_start_s"].get<double>() ==
          Approx(60.0));
    CHECK(lines[0]["low_quality"] == false);
    CHECK(lines[0]["LF"].is_null());
}

TEST_CASE("analyze hrv writes CSV with a header and one row per window") {
    AnalyzeHrvOptions o;
    o.format = OutputFormat::Csv;
    o.domains = wardgate::dsp::HrvDomains{true, false, false, false, false};
    std::istringstream in(readFile("rr/nk_resting5min_rr.csv"));
    std::ostringstream out;
    analyzeHrv(o, in, out);
    std::istringstream rows(out.str());
    std::string header;
    std::getline(rows, header);
    CHECK(header.rfind("window_start_s,window_end_s,n_intervals", 0) == 0);
    std::size_t n = 0;
    for (std::string line; std::getline(rows, line);) {
        ++n;
    }
    CHECK(n == 5);  // 300 s of beats, 300/60 s windows: every window starting before the last beat
}

TEST_CASE("analyze hrv refuses RR intervals given in seconds with a clear error") {
    std::istringstream in("t_s,rr_ms\n0.8,0.8\n1.6,0.8\n2.5,0.9\n");
    std::ostringstream out;
    CHECK_THROWS_WITH(analyzeHrv(AnalyzeHrvOptions{}, in, out),
                      Catch::Contains("look like seconds"));
}

TEST_CASE("analyze hrv refuses a file without the t_s and rr_ms header") {
    std::istringstream in("time,rr\n1,800\n");
    std::ostringstream out;
    CHECK_THROWS_AS(analyzeHrv(AnalyzeHrvOptions{}, in, out), InputError);
}

TEST_CASE("analyze hrv counts non-monotonic beat times as dropped") {
    AnalyzeHrvOptions o;
    o.whole = true;
    o.domains = wardgate::dsp::HrvDomains{true, false, false, false, false};
    const auto lines = runOn("t_s,rr_ms\n1.0,800\n1.8,800\n1.5,700\n2.6,800\n3.4,800\n", o);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["n_dropped"] == 1);
    CHECK(lines[0]["n_intervals"] == 4);
}

TEST_CASE("analyze hrv --correct lipponen reports the corrected beats of each window") {
    std::ostringstream csv;
    csv << "t_s,rr_ms\n";
    double t = 0.0;
    for (int i = 0; i < 400; ++i) {
        double rr = 800.0 + 30.0 * std::sin(i * 1.4) + 10.0 * std::cos(i * 0.37);
        if (i == 200) {
            rr *= 2.0;  // a missed beat
        }
        t += rr / 1000.0;
        csv << t << ',' << rr << '\n';
    }
    AnalyzeHrvOptions o;
    o.whole = true;
    o.correct = "lipponen";
    o.domains = wardgate::dsp::HrvDomains{true, false, false, false, false};
    const auto lines = runOn(csv.str(), o);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["n_corrected"] == 1);
    CHECK(lines[0]["n_intervals"] == 401);  // the missed beat was put back
    CHECK(lines[0]["low_quality"] == false);
}

#include "tools/analyze/analyze_command.hpp"

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "tools/analyze/analyze_hrv.hpp"
#include "tools/analyze/rr_csv.hpp"

namespace wardgate::analyze {
namespace {

constexpr int kExitRefused = 2;

struct HrvCommandState {
    AnalyzeHrvOptions options;
    std::string input = "-";
    std::string profile = "taskforce";
    std::string format = "json";
    std::string features = "time,frequency,lomb,nonlinear,complexity";
};

dsp::HrvDomains parseDomains(const std::string& list) {
    dsp::HrvDomains d{false, false, false, false, false};
    std::istringstream ss(list);
    std::string item;
    while (std::getline(ss, item, ',')) {
        if (item == "time") {
            d.time = true;
        } else if (item == "frequency") {
            d.frequency = true;
        } else if (item == "lomb") {
            d.lomb = true;
        } else if (item == "nonlinear") {
            d.nonlinear = true;
        } else if (item == "complexity") {
            d.complexity = true;
        } else {
            throw std::invalid_argument("unknown feature group '" + item +
                                        "' (time, frequency, lomb, nonlinear, complexity)");
        }
    }
    return d;
}

void run(HrvCommandState& st) {
    st.options.profile = *dsp::parseHrvProfile(st.profile);
    st.options.format = st.format == "csv" ? OutputFormat::Csv : OutputFormat::JsonLines;
    st.options.domains = parseDomains(st.features);
    if (st.input == "-") {
        analyzeHrv(st.options, std::cin, std::cout);
        return;
    }
    std::ifstream file(st.input);
    if (!file) {
        throw InputError("cannot open '" + st.input + "'");
    }
    analyzeHrv(st.options, file, std::cout);
}

}  // namespace

void addAnalyzeCommand(CLI::App& app) {
    auto* analyze = app.add_subcommand("analyze", "Analyse a recording offline (no daemon needed)");
    analyze->require_subcommand(1);
    auto* hrv = analyze->add_subcommand(
        "hrv", "HRV features of a t_s,rr_ms CSV, one JSON object (or CSV row) per window");
    auto st = std::make_shared<HrvCommandState>();
    hrv->add_option("input", st->input, "CSV file with header t_s,rr_ms, or - for stdin")
        ->required();
    auto* window = hrv->add_option("--window", st->options.windowS, "Window length in s")
                       ->check(CLI::PositiveNumber)
                       ->capture_default_str();
    hrv->add_option("--hop", st->options.hopS, "Window hop in s")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    hrv->add_flag("--whole", st->options.whole, "One record for the whole recording")
        ->excludes(window);
    hrv->add_option("--profile", st->profile, "Definitions: taskforce or reference (NeuroKit2)")
        ->check(CLI::IsMember({"taskforce", "reference"}))
        ->capture_default_str();
    hrv->add_option("--correct", st->options.correct, "Artifact correction: none or lipponen")
        ->check(CLI::IsMember({"none", "lipponen"}))
        ->capture_default_str();
    hrv->add_option("--format", st->format, "Output: json (one object per line) or csv")
        ->check(CLI::IsMember({"json", "csv"}))
        ->capture_default_str();
    hrv->add_option("--features", st->features,
                    "Comma-separated groups to compute: time,frequency,lomb,nonlinear,complexity")
        ->capture_default_str();
    hrv->callback([st] {
        try {
            run(*st);
        } catch (const std::exception& e) {
            std::cerr << "wardgate analyze hrv: " << e.what() << "\n";
            throw CLI::RuntimeError(kExitRefused);
        }
    });
}

}  // namespace wardgate::analyze

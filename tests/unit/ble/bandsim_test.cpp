// wardgate-bandsim against a real dbus-daemon: the BlueZ shapes a client
// relies on, and replay that delivers exactly what the recordings and the
// sent log say. Runs at --speed 60, so one wall second is a recording minute.

#include "bandsim_harness.hpp"

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ble/decoders/heart_rate_measurement.hpp"
#include "ble/decoders/sensor_batch.hpp"
#include "ble/gatt_uuids.hpp"

using namespace std::chrono_literals;
using wardgate::test::Bandsim;
using wardgate::test::BluezClient;
using wardgate::test::ChildProcess;
using wardgate::test::PrivateBus;
using wardgate::test::testDataPath;

namespace {

const std::string kAdapter = "org.bluez.Adapter1";
const std::string kDevice = "org.bluez.Device1";
const std::string kChar = "org.bluez.GattCharacteristic1";
const std::string kHci0 = "/org/bluez/hci0";
const std::string kBand1 = "/org/bluez/hci0/dev_AA_BB_CC_00_00_01";
const std::string kBand2 = "/org/bluez/hci0/dev_AA_BB_CC_00_00_02";
const std::string kHrChar = kBand1 + "/service000c/char000d";
const std::string kEdaChar = kBand1 + "/service0014/char0015";

std::string bandArg(const std::string& address, const std::string& extra) {
    return "address=" + address + ",rr=" + testDataPath("rr/nk_resting8min_rr.csv") + extra;
}

std::vector<std::vector<double>> readCsv(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);  // header
    std::vector<std::vector<double>> rows;
    while (std::getline(in, line)) {
        std::vector<double> row;
        std::stringstream fields(line);
        std::string field;
        while (std::getline(fields, field, ',')) {
            row.push_back(std::stod(field));
        }
        rows.push_back(row);
    }
    return rows;
}

// The --sent-log lines after the header: address, seq, rr_raw.
struct SentRr {
    std::string address;
    std::uint64_t seq = 0;
    std::uint16_t rrRaw = 0;
};

std::vector<SentRr> readSentLog(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    CHECK(line == "address,seq,rr_raw");
    std::vector<SentRr> rows;
    while (std::getline(in, line)) {
        const auto a = line.find(',');
        const auto b = line.find(',', a + 1);
        rows.push_back({line.substr(0, a), std::stoull(line.substr(a + 1, b - a - 1)),
                        static_cast<std::uint16_t>(std::stoul(line.substr(b + 1)))});
    }
    return rows;
}

std::string tempPath(const std::string& name) {
    return std::string(WARDGATE_BINARY_DIR) + "/" + name;
}

}  // namespace

TEST_CASE("bandsim shows unpaired bands only once discovery starts and paired ones always") {
    PrivateBus bus;
    Bandsim sim(bus, {"--band", bandArg("AA:BB:CC:00:00:01", ""), "--band",
                      bandArg("AA:BB:CC:00:00:02", ",paired=yes"), "--speed", "60"});
    BluezClient client(bus);

    auto objects = client.managedObjects();
    CHECK(objects.count(sdbus::ObjectPath{kHci0}) == 1);
    CHECK(objects.count(sdbus::ObjectPath{kBand1}) == 0);
    CHECK(objects.count(sdbus::ObjectPath{kBand2}) == 1);

    client.call(kHci0, kAdapter, "StartDiscovery");
    client.pump(300ms);
    objects = client.managedObjects();
    REQUIRE(objects.count(sdbus::ObjectPath{kBand1}) == 1);
    const auto& device = objects[sdbus::ObjectPath{kBand1}]["org.bluez.Device1"];
    CHECK(device.at("RSSI").containsValueOfType<std::int16_t>());
    CHECK(device.at("Address").get<std::string>() == "AA:BB:CC:00:00:01");
    CHECK(device.at("AddressType").get<std::string>() == "random");
    CHECK(device.at("Paired").get<bool>() == false);
    CHECK(client.property(kHci0, kAdapter, "Discovering").get<bool>());

    CHECK(sim.stop() == 0);
}

TEST_CASE("bandsim delivers to a subscriber exactly the RR intervals of its sent log") {
    const std::string log = tempPath("bandsim_sent_log_test.csv");
    std::remove(log.c_str());
    PrivateBus bus;
    Bandsim sim(bus,
                {"--band", bandArg("AA:BB:CC:00:00:01", ""), "--speed", "60", "--sent-log", log});
    BluezClient client(bus);
    client.call(kHci0, kAdapter, "StartDiscovery");
    client.pump(200ms);
    client.call(kBand1, kDevice, "Connect");
    CHECK(client.property(kBand1, kDevice, "ServicesResolved").get<bool>());
    CHECK(client.property(kHrChar, kChar, "UUID").get<std::string>() ==
          wardgate::ble::gatt::kHeartRateMeasurement);

    client.collectValues(kHrChar);
    client.call(kHrChar, kChar, "StartNotify");
    client.pump(1500ms);
    client.call(kHrChar, kChar, "StopNotify");
    client.pump(200ms);
    REQUIRE(sim.stop() == 0);

    std::vector<std::uint16_t> received;
    for (const auto& value : client.values(kHrChar)) {
        const auto m = wardgate::ble::decodeHeartRateMeasurement(value);
        REQUIRE(m.ok());
        CHECK(m.value().sensorContact == std::optional<bool>{true});
        received.insert(received.end(), m.value().rrRaw.begin(), m.value().rrRaw.end());
    }
    // About 90 recording seconds went by: one notification per second.
    CHECK(client.values(kHrChar).size() > 60);
    CHECK(client.values(kHrChar).size() < 120);

    const auto logged = readSentLog(log);
    REQUIRE(logged.size() == received.size());
    const auto rr = readCsv(testDataPath("rr/nk_resting8min_rr.csv"));
    for (std::size_t i = 0; i < received.size(); ++i) {
        CAPTURE(i);
        CHECK(logged[i].address == "AA:BB:CC:00:00:01");
        CHECK(logged[i].seq == i);
        CHECK(logged[i].rrRaw == received[i]);
        CHECK(received[i] == std::lround(rr[i][1] * 1024.0 / 1000.0));
    }
}

TEST_CASE("bandsim sends EDA batches with consecutive sequence numbers and the recorded values") {
    PrivateBus bus;
    const std::string eda = testDataPath("eda/nk_eventrelated_100hz.csv");
    Bandsim sim(bus, {"--band", bandArg("AA:BB:CC:00:00:01", ",eda=" + eda), "--speed", "60"});
    BluezClient client(bus);
    client.call(kHci0, kAdapter, "StartDiscovery");
    client.pump(200ms);
    client.call(kBand1, kDevice, "Connect");
    client.collectValues(kEdaChar);
    client.call(kEdaChar, kChar, "StartNotify");
    client.pump(500ms);
    REQUIRE(sim.stop() == 0);

    const auto rows = readCsv(eda);
    std::size_t sample = 0;
    std::uint16_t expectedSequence = 0;
    REQUIRE(client.values(kEdaChar).size() > 10);
    for (const auto& value : client.values(kEdaChar)) {
        const auto batch = wardgate::ble::decodeSensorBatch(value);
        REQUIRE(batch.ok());
        CHECK(batch.value().sequence == expectedSequence++);
        CHECK(batch.value().sampleRateHz == Approx(100.0).margin(0.005));
        CHECK(batch.value().values.size() <= 60);
        for (const double v : batch.value().values) {
            CHECK(v == Approx(rows[sample++][1]).margin(0.00005));
        }
    }
}

TEST_CASE("bandsim removes GATT objects on disconnect and forgets the bond on RemoveDevice") {
    PrivateBus bus;
    Bandsim sim(bus, {"--band", bandArg("AA:BB:CC:00:00:01", ""), "--speed", "60"});
    BluezClient client(bus);
    client.call(kHci0, kAdapter, "StartDiscovery");
    client.pump(200ms);
    client.call(kBand1, kDevice, "Pair");
    CHECK(client.property(kBand1, kDevice, "Paired").get<bool>());
    CHECK(client.property(kBand1, kDevice, "Connected").get<bool>());
    CHECK(client.managedObjects().count(sdbus::ObjectPath{kHrChar}) == 1);

    client.call(kBand1, kDevice, "Disconnect");
    CHECK(client.managedObjects().count(sdbus::ObjectPath{kHrChar}) == 0);
    client.call(kHci0, kAdapter, "StopDiscovery");
    CHECK(client.property(kBand1, kDevice, "Paired").get<bool>());

    client.removeDevice(kBand1);
    CHECK(client.managedObjects().count(sdbus::ObjectPath{kBand1}) == 0);

    client.call(kHci0, kAdapter, "StartDiscovery");
    client.pump(200ms);
    CHECK_FALSE(client.property(kBand1, kDevice, "Paired").get<bool>());
    CHECK(sim.stop() == 0);
}

TEST_CASE("bandsim answers a bad argument with exit code 2 and the file and line") {
    const std::string bad = tempPath("bandsim_bad_rr.csv");
    {
        std::ofstream out(bad);
        out << "t_s,rr_ms\n1.0,800\n1.8,eight hundred\n";
    }
    auto run = [](std::vector<std::string> args) {
        args.insert(args.begin(), wardgate::test::bandsimPath());
        ChildProcess p(args, {});
        const auto line = p.readStderrLine(5s);
        return std::make_pair(p.wait(), line.value_or(""));
    };
    const auto [malformedCode, malformedLine] =
        run({"--band", "address=AA:BB:CC:00:00:01,rr=" + bad});
    CHECK(malformedCode == 2);
    CHECK_THAT(malformedLine, Catch::Contains(bad + ":3"));

    const auto [missingCode, missingLine] =
        run({"--band", "address=AA:BB:CC:00:00:01,rr=/nonexistent.csv"});
    CHECK(missingCode == 2);
    CHECK_THAT(missingLine, Catch::Contains("/nonexistent.csv"));

    const auto [addressCode, addressLine] = run({"--band", "address=AA:BB:CC:00:00,rr=" + bad});
    CHECK(addressCode == 2);
    CHECK_THAT(addressLine, Catch::Contains("address"));
}

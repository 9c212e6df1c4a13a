#include "storage/ids.hpp"

#include <catch2/catch.hpp>

using namespace wardgate::storage;

TEST_CASE("Participant ids are random and print as p- followed by 32 lowercase hex digits") {
    const auto a = ParticipantId::random();
    const auto b = ParticipantId::random();
    CHECK(a != b);
    const auto text = a.toString();
    CHECK(text.size() == 34);
    CHECK(text.starts_with("p-"));
    CHECK(text.find_first_not_of("0123456789abcdef", 2) == std::string::npos);
    CHECK(ParticipantId::parse(text) == a);
    CHECK(ParticipantId::fromBytes(a.bytes()) == a);
}

TEST_CASE("Participant id parsing rejects a wrong prefix or length or case or digit") {
    const std::string good = "p-00112233445566778899aabbccddeeff";
    REQUIRE(ParticipantId::parse(good));
    CHECK_FALSE(ParticipantId::parse("q-00112233445566778899aabbccddeeff"));
    CHECK_FALSE(ParticipantId::parse("p-00112233445566778899aabbccddeef"));
    CHECK_FALSE(ParticipantId::parse("p-00112233445566778899aabbccddeeff0"));
    CHECK_FALSE(ParticipantId::parse("p-00112233445566778899AABBCCDDEEFF"));
    CHECK_FALSE(ParticipantId::parse("p-0011223344556677889gaabbccddeeff"));
    CHECK_FALSE(ParticipantId::parse(""));
    CHECK_FALSE(ParticipantId::fromBytes(std::vector<std::uint8_t>(15)));
}

TEST_CASE("Signal sets parse comma-separated names and print them in a fixed order") {
    const auto set = SignalSet::parse("eda, hrv");
    REQUIRE(set);
    CHECK(set->contains(Signal::Hrv));
    CHECK(set->contains(Signal::Eda));
    CHECK_FALSE(set->contains(Signal::Activity));
    CHECK(set->toString() == "hrv,eda");
    CHECK(SignalSet::parse("activity")->toString() == "activity");
    CHECK(SignalSet::parse("")->empty());
    CHECK(SignalSet::parse("hrv,hrv") == SignalSet{Signal::Hrv});
}

TEST_CASE("Signal sets reject unknown names and empty items and unknown stored bits") {
    CHECK_FALSE(SignalSet::parse("hrv,ecg"));
    CHECK_FALSE(SignalSet::parse("hrv,"));
    CHECK_FALSE(SignalSet::parse("HRV"));
    CHECK_FALSE(SignalSet::fromBits(0x08));
    CHECK(SignalSet::fromBits(0x07)->toString() == "hrv,eda,activity");
    CHECK(signalFromValue(2) == Signal::Eda);
    CHECK_FALSE(signalFromValue(3));
    CHECK(parseSignal("eda") == Signal::Eda);
}

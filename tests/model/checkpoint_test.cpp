// A simulation saved after day K and restored into a new one (any thread count) goes on
// exactly as the original: every later day's totals are the same bytes, and so is the journey
// sample at the end. States of another scenario, or cut short, are refused.
#include <gtest/gtest.h>

#include "migsim/scenario.hpp"
#include "migsim/simulation.hpp"
#include "parallel/day_exchange.hpp"

using namespace migsim;

namespace {

std::vector<std::byte> day_bytes(const Simulation& sim) {
    std::vector<std::byte> bytes;
    detail::append_day(sim.today(), bytes);
    return bytes;
}

std::vector<std::byte> journey_bytes(const Simulation& sim) {
    std::vector<std::byte> bytes;
    detail::ByteWriter out(bytes);
    detail::put_journeys(out, sim.journeys());
    return bytes;
}

void expect_resumes_exactly(const Scenario& s, int checkpoint_day, int threads_after) {
    Simulation original(s, 2);
    for (int d = 0; d < checkpoint_day; ++d) original.step();
    const std::vector<std::byte> state = original.save_state();
    Simulation resumed(s, threads_after);
    resumed.restore_state(state);
    ASSERT_EQ(resumed.day(), checkpoint_day);
    ASSERT_EQ(resumed.agents(), original.agents());
    for (int d = checkpoint_day; d < s.settings.days; ++d) {
        original.step();
        resumed.step();
        ASSERT_EQ(day_bytes(resumed), day_bytes(original)) << "day " << d;
    }
    EXPECT_EQ(journey_bytes(resumed), journey_bytes(original));
}

const std::string source = MIGSIM_SOURCE_DIR;

}   // namespace

TEST(Checkpoint, ToyResumesBitIdenticalFromAnyDay) {
    const Scenario toy = load_scenario(source + "/scenarios/toy");
    for (int day : {0, 1, 37, toy.settings.days - 1}) expect_resumes_exactly(toy, day, 1);
}

TEST(Checkpoint, TheJourneySampleIsKeptInTheState) {
    const Scenario toy = load_scenario(source + "/scenarios/toy", {"journey_sample=0.5"});
    for (int day : {1, 37, 90}) expect_resumes_exactly(toy, day, 3);
    Simulation sim(toy, 1);
    for (int d = 0; d < toy.settings.days; ++d) sim.step();
    EXPECT_GT(sim.journeys().size(), 100U);   // the comparison above compared something
}

TEST(Checkpoint, MediterraneanResumesBitIdenticalAcrossEventsAndThreads) {
    // Day 420 is before the COVID-19 closures of 2020 (events) and the quota periods turn
    // over after it: beliefs, quota counts, tickets and pending events all carry over.
    const Scenario med = load_scenario(source + "/scenarios/mediterranean/variants/humanitarian-visas.yml",
                                       {"days=520", "pathway:humanitarian_visa.quota=150"});
    expect_resumes_exactly(med, 420, 3);
}

TEST(Checkpoint, RefusesAnotherScenarioOrACutState) {
    const Scenario toy = load_scenario(source + "/scenarios/toy");
    Simulation sim(toy, 1);
    for (int d = 0; d < 10; ++d) sim.step();
    std::vector<std::byte> state = sim.save_state();

    Simulation other(load_scenario(source + "/scenarios/toy", {"border:strait.patrol=0.9"}), 1);
    EXPECT_THROW(other.restore_state(state), std::runtime_error);

    state.resize(state.size() - 3);
    Simulation cut(toy, 1);
    EXPECT_THROW(cut.restore_state(state), std::runtime_error);
}

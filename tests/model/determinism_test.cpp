// Same scenario and seed give bit-identical results on any number of threads: the hash of
// every day's totals is the same for 1, 2, 3 and 8 threads. A different seed changes it.
#include <gtest/gtest.h>

#include <cstring>

#include "io/sha256.hpp"
#include "migsim/simulation.hpp"

using namespace migsim;

namespace {
template <class T>
void append(std::string& bytes, const std::vector<T>& values) {
    bytes.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

std::string run_hash(const Scenario& s, int threads) {
    Simulation sim(s, threads);
    std::string bytes;
    for (int d = 0; d < s.settings.days; ++d) {
        sim.step();
        const auto& t = sim.today();
        bytes.append(reinterpret_cast<const char*>(t.status_counts.data()), sizeof t.status_counts);
        for (const auto* series : {&t.location_population, &t.arrivals, &t.arrivals_regular, &t.link_flow,
                                   &t.link_deaths, &t.border_attempts, &t.border_interceptions, &t.border_deaths,
                                   &t.border_crossings, &t.border_regular_crossings, &t.market_seats,
                                   &t.market_unmet_demand, &t.pathway_applications, &t.pathway_admissions,
                                   &t.arrival_transit_days, &t.profile_arrivals, &t.profile_regular_arrivals,
                                   &t.profile_deaths, &t.profile_interceptions, &t.profile_seats})
            append(bytes, *series);
        append(bytes, t.market_price);
        append(bytes, t.market_revenue);
    }
    return detail::sha256_hex(bytes);
}

void expect_same_for_any_threads(const Scenario& s) {
    const std::string one = run_hash(s, 1);
    for (int threads : {2, 3, 8}) EXPECT_EQ(run_hash(s, threads), one) << threads << " threads";
}
}  // namespace

TEST(Determinism, ToyIsBitIdenticalOnAnyThreadCount) {
    expect_same_for_any_threads(load_scenario(std::string(MIGSIM_SOURCE_DIR) + "/scenarios/toy"));
}

TEST(Determinism, MediterraneanIsBitIdenticalOnAnyThreadCount) {
    expect_same_for_any_threads(load_scenario(std::string(MIGSIM_SOURCE_DIR) + "/scenarios/mediterranean", {"days=300"}));
}

TEST(Determinism, TheSeedMatters) {
    const std::string dir = std::string(MIGSIM_SOURCE_DIR) + "/scenarios/toy";
    EXPECT_NE(run_hash(load_scenario(dir, {"seed=1"}), 2), run_hash(load_scenario(dir, {"seed=2"}), 2));
}

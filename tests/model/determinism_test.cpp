// Same scenario and seed give bit-identical results on any number of threads: the hash of
// every day's totals is the same for 1, 2, 3 and 8 threads. A different seed changes it.
#include <gtest/gtest.h>

#include <cstring>

#include "common/sha256.hpp"
#include "migsim/series.hpp"
#include "migsim/simulation.hpp"

using namespace migsim;

namespace {
template <class T>
void append(std::string& bytes, const std::vector<T>& values) {
    bytes.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

// Every series of the catalogue, every day, and the rows split by group when there are any.
std::string run_hash(const Scenario& s, int threads) {
    Simulation sim(s, threads);
    std::string bytes;
    for (int d = 0; d < s.settings.days; ++d) {
        sim.step();
        const auto& t = sim.today();
        for (std::size_t k = 0; k < series_count; ++k) {
            EXPECT_EQ(t.counts[k].size() + t.money[k].size(), entity_count(s, series_catalogue[k].entity))
                << series_catalogue[k].name;
            append(bytes, t.counts[k]);
            append(bytes, t.money[k]);
            append(bytes, t.by_group[k]);
        }
    }
    return detail::sha256_hex(bytes);
}

void expect_same_for_any_threads(const Scenario& s) {
    const std::string one = run_hash(s, 1);
    for (int threads : {2, 3, 8}) EXPECT_EQ(run_hash(s, threads), one) << threads << " threads";
}
}   // namespace

TEST(Determinism, ToyIsBitIdenticalOnAnyThreadCount) {
    expect_same_for_any_threads(load_scenario(std::string(MIGSIM_SOURCE_DIR) + "/scenarios/toy"));
}

TEST(Determinism, MediterraneanIsBitIdenticalOnAnyThreadCount) {
    expect_same_for_any_threads(load_scenario(std::string(MIGSIM_SOURCE_DIR) + "/scenarios/mediterranean", {"days="
                                                                                                            "300"}));
}

TEST(Determinism, SplitByGroupIsBitIdenticalOnAnyThreadCount) {
    expect_same_for_any_threads(load_scenario(std::string(MIGSIM_SOURCE_DIR) + "/scenarios/toy", {"output_by_group="
                                                                                                  "true"}));
}

TEST(Determinism, TheSeedMatters) {
    const std::string dir = std::string(MIGSIM_SOURCE_DIR) + "/scenarios/toy";
    EXPECT_NE(run_hash(load_scenario(dir, {"seed=1"}), 2), run_hash(load_scenario(dir, {"seed=2"}), 2));
}

// Series split by demographic group (settings output_by_group): each NAME_by_group sums over
// group to NAME exactly, the split changes nothing else, and it is the same on any thread count.
#include <gtest/gtest.h>

#include "migsim/series.hpp"
#include "migsim/scenario.hpp"
#include "migsim/simulation.hpp"

using namespace migsim;

namespace {

const std::string toy = std::string(MIGSIM_SOURCE_DIR) + "/scenarios/toy";

}   // namespace

TEST(Groups, EverySplitSeriesSumsToTheUnsplitOneAndChangesNothingElse) {
    const Scenario plain = load_scenario(toy), split = load_scenario(toy, {"output_by_group=true"});
    const std::size_t G = split.groups.size();
    Simulation a(plain, 2), b(split, 3);
    std::int64_t counted = 0;
    for (int d = 0; d < plain.settings.days; ++d) {
        a.step();
        b.step();
        for (std::size_t k = 0; k < series_count; ++k) {
            const SeriesInfo& series = series_catalogue[k];
            EXPECT_TRUE(a.today().by_group[k].empty()) << series.name;
            ASSERT_EQ(a.today().counts[k], b.today().counts[k]) << series.name << ", day " << d;
            ASSERT_EQ(a.today().money[k], b.today().money[k]) << series.name << ", day " << d;
            if (!series.grouped) {
                EXPECT_TRUE(b.today().by_group[k].empty()) << series.name;
                continue;
            }
            const auto& whole = b.today().counts[k];
            const auto& by_group = b.today().by_group[k];
            ASSERT_EQ(by_group.size(), whole.size() * G) << series.name;
            for (std::size_t e = 0; e < whole.size(); ++e) {
                std::int64_t sum = 0;
                for (std::size_t g = 0; g < G; ++g) sum += by_group[e * G + g];
                ASSERT_EQ(sum, whole[e]) << series.name << " entity " << e << ", day " << d;
                counted += sum;
            }
        }
    }
    EXPECT_GT(counted, 0);
}

TEST(Groups, TheSplitIsTheSameOnAnyThreadCount) {
    const Scenario s = load_scenario(toy, {"output_by_group=true", "days=60"});
    auto run = [&](int threads) {
        Simulation sim(s, threads);
        std::vector<std::array<std::vector<std::int64_t>, series_count>> days;
        for (int d = 0; d < s.settings.days; ++d) {
            sim.step();
            days.push_back(sim.today().by_group);
        }
        return days;
    };
    const auto one = run(1);
    EXPECT_EQ(run(2), one);
    EXPECT_EQ(run(5), one);
}

// Series split by demographic group (settings output_by_group): each NAME_by_group sums over
// group to NAME exactly, the split changes nothing else, and it is the same on any thread count.
#include <gtest/gtest.h>

#include "migsim/output.hpp"
#include "migsim/scenario.hpp"
#include "migsim/simulation.hpp"

using namespace migsim;

namespace {

const std::string toy = std::string(MIGSIM_SOURCE_DIR) + "/scenarios/toy";

// The unsplit row of series `name` (as grouped_series() names it).
std::vector<std::int64_t> row(const DayTotals& t, const std::string& name) {
    if (name == "status_counts") return {t.status_counts.begin(), t.status_counts.end()};
    const std::pair<const char*, const std::vector<std::int64_t> DayTotals::*> fields[] = {
        {"location_population", &DayTotals::location_population}, {"arrivals", &DayTotals::arrivals},
        {"arrivals_regular", &DayTotals::arrivals_regular}, {"link_flow", &DayTotals::link_flow},
        {"link_deaths", &DayTotals::link_deaths}, {"border_attempts", &DayTotals::border_attempts},
        {"border_interceptions", &DayTotals::border_interceptions}, {"border_deaths", &DayTotals::border_deaths},
        {"border_crossings", &DayTotals::border_crossings},
        {"border_regular_crossings", &DayTotals::border_regular_crossings}, {"market_seats", &DayTotals::market_seats},
        {"pathway_applications", &DayTotals::pathway_applications},
        {"pathway_admissions", &DayTotals::pathway_admissions}, {"harm_abductions", &DayTotals::harm_abductions},
        {"harm_trafficking", &DayTotals::harm_trafficking}, {"harm_violence", &DayTotals::harm_violence},
        {"harm_detentions", &DayTotals::harm_detentions}, {"harm_deaths", &DayTotals::harm_deaths},
        {"harm_returns", &DayTotals::harm_returns}};
    for (const auto& [n, field] : fields)
        if (name == n) return t.*field;
    ADD_FAILURE() << "no series " << name;
    return {};
}

}  // namespace

TEST(Groups, EverySplitSeriesSumsToTheUnsplitOneAndChangesNothingElse) {
    const Scenario plain = load_scenario(toy), split = load_scenario(toy, {"output_by_group=true"});
    const std::size_t G = split.groups.size();
    Simulation a(plain, 2), b(split, 3);
    std::int64_t counted = 0;
    for (int d = 0; d < plain.settings.days; ++d) {
        a.step();
        b.step();
        EXPECT_TRUE(a.today().by_group.empty());
        ASSERT_EQ(b.today().by_group.size(), grouped_series().size());
        for (std::size_t k = 0; k < grouped_series().size(); ++k) {
            const auto whole = row(b.today(), grouped_series()[k]);
            ASSERT_EQ(row(a.today(), grouped_series()[k]), whole) << grouped_series()[k] << ", day " << d;
            const auto& by_group = b.today().by_group[k];
            ASSERT_EQ(by_group.size(), whole.size() * G);
            for (std::size_t e = 0; e < whole.size(); ++e) {
                std::int64_t sum = 0;
                for (std::size_t g = 0; g < G; ++g) sum += by_group[e * G + g];
                ASSERT_EQ(sum, whole[e]) << grouped_series()[k] << " entity " << e << ", day " << d;
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
        std::vector<std::vector<std::vector<std::int64_t>>> days;
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

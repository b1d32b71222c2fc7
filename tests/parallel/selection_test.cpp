// Scarce places go to the askers with the smallest keys, exactly as many as there are places,
// whatever the split of asks into lists (threads).
#include <gtest/gtest.h>

#include <algorithm>

#include "model/draws.hpp"
#include "parallel/selection.hpp"

using namespace migsim::detail;

namespace {
std::vector<Ask> random_asks(std::size_t n, std::uint16_t contests, std::uint64_t seed) {
    std::vector<Ask> asks;
    for (std::uint32_t i = 0; i < n; ++i) {
        auto w = draw(seed, i, 0, Purpose::crossing);
        // Few distinct draw words, so that ties in the high half are common.
        asks.push_back({priority_key(w[0] % 50, i), i, static_cast<std::uint16_t>(w[1] % contests), 0});
    }
    return asks;
}
}   // namespace

TEST(Selection, ExactlyThePlacesGoToTheSmallestKeysForAnySplit) {
    const std::uint16_t contests = 4;
    auto asks = random_asks(5000, contests, 3);
    std::vector<std::int64_t> demand(contests, 0);
    for (const auto& a : asks) ++demand[a.contest];
    const std::vector<std::int64_t> places = {10, 0, 100000, 777};
    const migsim::Comm& comm = migsim::single_process();
    for (std::size_t lists : {1u, 2u, 3u, 8u}) {
        std::vector<std::span<const Ask>> split;
        const std::size_t per = asks.size() / lists;
        for (std::size_t k = 0; k < lists; ++k)
            split.emplace_back(asks.data() + k * per, k + 1 == lists ? asks.size() - k * per : per);
        Thresholds t;
        find_thresholds(split, demand, places, comm, t);
        for (std::uint16_t c = 0; c < contests; ++c) {
            std::vector<std::uint64_t> keys;
            for (const auto& a : asks)
                if (a.contest == c) keys.push_back(a.key);
            std::sort(keys.begin(), keys.end());
            const auto winners =
                std::count_if(asks.begin(), asks.end(), [&](const Ask& a) { return a.contest == c && t.wins(a); });
            EXPECT_EQ(winners, std::min<std::int64_t>(places[c], demand[c])) << "contest " << c << ", lists " << lists;
            if (places[c] > 0 && places[c] < demand[c]) {
                EXPECT_EQ(t.key[c], keys[static_cast<std::size_t>(places[c] - 1)]);
            }
        }
    }
}

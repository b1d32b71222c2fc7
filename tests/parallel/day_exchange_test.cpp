// A day's totals survive the trip between ranks unchanged, series by series.
#include <gtest/gtest.h>

#include "parallel/day_exchange.hpp"

using namespace migsim;

TEST(DayExchange, TwoDaysRoundTripExactly) {
    DayTotals a, b;
    a.day = 7;
    a.agents_created = 123456789012;
    a[Series::status_counts] = {1, 2, 3, 4, 5, 6, 7, 8};
    a[Series::location_population] = {10, 0, 30};
    a[Series::link_flow] = {1, 2};
    a.amounts(Series::market_price) = {812.5, 1e-300};
    a.amounts(Series::market_revenue) = {0.1, 2.5e9};
    a[Series::profile_seats] = {9};
    a.by_group[index(Series::harm_returns)] = {3, 0, 1, 4};
    b = a;
    b.day = 8;
    b[Series::arrivals] = {4, 5, 6};
    std::vector<std::byte> bytes;
    detail::append_day(a, bytes);
    detail::append_day(b, bytes);
    DayTotals x, y;
    auto rest = detail::read_day(bytes, x);
    rest = detail::read_day(rest, y);
    EXPECT_TRUE(rest.empty());
    for (const auto& [got, want] : {std::pair{&x, &a}, std::pair{&y, &b}}) {
        EXPECT_EQ(got->day, want->day);
        EXPECT_EQ(got->agents_created, want->agents_created);
        EXPECT_EQ(got->counts, want->counts);
        EXPECT_EQ(got->money, want->money);
        EXPECT_EQ(got->by_group, want->by_group);
    }
}

TEST(DayExchange, ACutMessageIsAnErrorNotGarbage) {
    DayTotals a;
    a[Series::location_population] = {1, 2, 3};
    std::vector<std::byte> bytes;
    detail::append_day(a, bytes);
    bytes.resize(bytes.size() - 4);
    DayTotals x;
    EXPECT_THROW((void)detail::read_day(bytes, x), std::runtime_error);
}

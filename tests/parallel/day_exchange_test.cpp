// A day's totals survive the trip between ranks unchanged, field by field.
#include <gtest/gtest.h>

#include "parallel/day_exchange.hpp"

using namespace migsim;

TEST(DayExchange, TwoDaysRoundTripExactly) {
    DayTotals a, b;
    a.day = 7;
    a.agents_created = 123456789012;
    a.status_counts = {1, 2, 3, 4, 5, 6, 7, 8};
    a.location_population = {10, 0, 30};
    a.link_flow = {1, 2};
    a.market_price = {812.5, 1e-300};
    a.market_revenue = {0.1, 2.5e9};
    a.profile_seats = {9};
    b = a;
    b.day = 8;
    b.arrivals = {4, 5, 6};
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
        EXPECT_EQ(got->status_counts, want->status_counts);
        EXPECT_EQ(got->location_population, want->location_population);
        EXPECT_EQ(got->arrivals, want->arrivals);
        EXPECT_EQ(got->link_flow, want->link_flow);
        EXPECT_EQ(got->market_price, want->market_price);
        EXPECT_EQ(got->market_revenue, want->market_revenue);
        EXPECT_EQ(got->profile_seats, want->profile_seats);
    }
}

TEST(DayExchange, ACutMessageIsAnErrorNotGarbage) {
    DayTotals a;
    a.location_population = {1, 2, 3};
    std::vector<std::byte> bytes;
    detail::append_day(a, bytes);
    bytes.resize(bytes.size() - 4);
    DayTotals x;
    EXPECT_THROW((void)detail::read_day(bytes, x), std::runtime_error);
}

// Field-by-field comparison of two scenarios: every field that load_scenario reads from the
// files (not the provenance: inputs, resolved_text, a demand row's file and line).
#pragma once

#include <gtest/gtest.h>

#include "migsim/scenario.hpp"

namespace migsim::testing {

inline void expect_same(const Settings& a, const Settings& b) {
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.description, b.description);
    EXPECT_EQ(a.start_date, b.start_date);
    EXPECT_EQ(a.days, b.days);
    EXPECT_EQ(a.seed, b.seed);
    EXPECT_EQ(a.speed_km_per_day, b.speed_km_per_day);
    EXPECT_EQ(a.information_lag_days, b.information_lag_days);
    EXPECT_EQ(a.max_attempts, b.max_attempts);
    EXPECT_EQ(a.give_up_days, b.give_up_days);
    EXPECT_EQ(a.give_up_action, b.give_up_action);
}

// Compares two vectors element by element with `same(x, y)`, stopping at the first failure.
template <class T, class Same>
void expect_each(const std::vector<T>& a, const std::vector<T>& b, const char* what, Same same) {
    ASSERT_EQ(a.size(), b.size()) << what;
    for (std::size_t i = 0; i < a.size(); ++i) {
        SCOPED_TRACE(std::string(what) + " " + std::to_string(i));
        same(a[i], b[i]);
        if (::testing::Test::HasFailure()) return;
    }
}

inline void expect_same(const Scenario& a, const Scenario& b) {
    expect_same(a.settings, b.settings);
    expect_each(a.locations, b.locations, "location", [](const Location& x, const Location& y) {
        EXPECT_EQ(x.id, y.id);
        EXPECT_EQ(x.name, y.name);
        EXPECT_EQ(x.country, y.country);
        EXPECT_EQ(x.lat, y.lat);
        EXPECT_EQ(x.lon, y.lon);
        EXPECT_EQ(x.kind, y.kind);
        EXPECT_EQ(x.capacity, y.capacity);
        EXPECT_EQ(x.wage, y.wage);
    });
    expect_each(a.links, b.links, "link", [](const Link& x, const Link& y) {
        EXPECT_EQ(x.id, y.id);
        EXPECT_EQ(x.from, y.from);
        EXPECT_EQ(x.to, y.to);
        EXPECT_EQ(x.distance_km, y.distance_km);
        EXPECT_EQ(x.mode, y.mode);
        EXPECT_EQ(x.cost, y.cost);
        EXPECT_EQ(x.border, y.border);
        EXPECT_EQ(x.death_risk, y.death_risk);
        EXPECT_EQ(x.alone, y.alone);
        EXPECT_EQ(x.market, y.market);
    });
    expect_each(a.borders, b.borders, "border", [](const Border& x, const Border& y) {
        EXPECT_EQ(x.id, y.id);
        EXPECT_EQ(x.name, y.name);
        EXPECT_EQ(x.patrol, y.patrol);
        EXPECT_EQ(x.return_to, y.return_to);
        EXPECT_EQ(x.detention_days, y.detention_days);
    });
    expect_each(a.markets, b.markets, "market", [](const Market& x, const Market& y) {
        EXPECT_EQ(x.id, y.id);
        EXPECT_EQ(x.name, y.name);
        EXPECT_EQ(x.links, y.links);
        EXPECT_EQ(x.price, y.price);
        EXPECT_EQ(x.capacity, y.capacity);
        EXPECT_EQ(x.evasion, y.evasion);
        EXPECT_EQ(x.safety, y.safety);
        EXPECT_EQ(x.risk_premium, y.risk_premium);
    });
    expect_each(a.pathways, b.pathways, "pathway", [](const Pathway& x, const Pathway& y) {
        EXPECT_EQ(x.id, y.id);
        EXPECT_EQ(x.name, y.name);
        EXPECT_EQ(x.eligible, y.eligible);
        EXPECT_EQ(x.from, y.from);
        EXPECT_EQ(x.to, y.to);
        EXPECT_EQ(x.quota, y.quota);
        EXPECT_EQ(x.period_days, y.period_days);
        EXPECT_EQ(x.processing_days, y.processing_days);
        EXPECT_EQ(x.cost, y.cost);
        EXPECT_EQ(x.open_day, y.open_day);
        EXPECT_EQ(x.close_day, y.close_day);
    });
    expect_each(a.profiles, b.profiles, "profile", [](const Profile& x, const Profile& y) {
        EXPECT_EQ(x.id, y.id);
        EXPECT_EQ(x.budget_median, y.budget_median);
        EXPECT_EQ(x.budget_sigma, y.budget_sigma);
        EXPECT_EQ(x.demand_factor, y.demand_factor);
        EXPECT_EQ(x.weights.time, y.weights.time);
        EXPECT_EQ(x.weights.money, y.weights.money);
        EXPECT_EQ(x.weights.interception, y.weights.interception);
        EXPECT_EQ(x.weights.death, y.weights.death);
        EXPECT_EQ(x.tau, y.tau);
        EXPECT_EQ(x.destinations, y.destinations);
        EXPECT_EQ(x.visa_free, y.visa_free);
    });
    expect_each(a.demand, b.demand, "demand row", [](const DemandRow& x, const DemandRow& y) {
        EXPECT_EQ(x.day, y.day);
        EXPECT_EQ(x.origin, y.origin);
        EXPECT_EQ(x.profile, y.profile);
        EXPECT_EQ(x.count, y.count);
        EXPECT_EQ(x.spread_days, y.spread_days);
    });
    expect_each(a.events, b.events, "event", [](const Event& x, const Event& y) {
        EXPECT_EQ(x.day, y.day);
        EXPECT_EQ(x.change.kind, y.change.kind);
        EXPECT_EQ(x.change.index, y.change.index);
        EXPECT_EQ(x.change.parameter, y.change.parameter);
        EXPECT_EQ(x.change.value, y.change.value);
    });
}

}   // namespace migsim::testing

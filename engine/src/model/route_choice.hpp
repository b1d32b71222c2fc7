// Route choice. Every waiting agent weighs the options at its location: each outgoing link
// (by the passages open to its profile: regular, with a smuggler, alone), each pathway it may
// apply to, and staying put. The generalised cost of an option is
//   G = w_time * days + w_money * price + w_interception * p_int + w_death * p_death + V(to)
// with p_int, p_death the *perceived* rates and V the cost-to-go: the cheapest G-path from a
// location to one of the profile's destinations (Bellman-Ford on the same costs, an Eigen
// matrix locations x choosers, below). Staying costs one day: w_time + V(here).
// The choice is a logit, P ~ exp(-G / tau). All agents of one *chooser* at one location share
// it, so it is built once per (location, chooser) per day as a Walker alias table and each
// agent samples it in O(1) from its own draws. A chooser is a profile, or a (profile, group
// class) pair when demographic groups choose differently: a group class gathers the groups
// with the same weight factors and the same pathways open to them (docs/HARM.md), so a
// scenario whose groups all choose alike has one class and pays nothing for them.
#pragma once

#include <Eigen/Dense>

#include <array>
#include <cstdint>
#include <vector>

#include "migsim/scenario.hpp"
#include "model/alias.hpp"

namespace migsim::detail {

enum class Passage : std::uint8_t { regular, smuggled, alone };

struct Option {
    enum class Kind : std::uint8_t { stay, link, pathway };
    Kind kind = Kind::stay;
    Passage passage = Passage::regular;
    std::uint16_t index = 0;   // link or pathway index
};

// What the day offers, computed by the simulation before agents choose.
struct DayConditions {
    std::vector<double> market_price;   // per market, with the risk premium
    // Per link and passage (indexed by Passage): the true rates this day and the rates
    // migrants believe, smoothed from what borders recorded. Regular passage: no
    // interception; death risk only off borders (a bus across the desert), known exactly.
    std::array<std::vector<double>, 3> interception, death;
    std::array<std::vector<double>, 3> perceived_interception, perceived_death;
    std::vector<bool> pathway_accepting;   // open and quota left in this period
    std::vector<bool> location_full;       // at or above capacity (yesterday's count)
};

class RouteChoice {
public:
    explicit RouteChoice(const Scenario& scenario);

    // Recomputes cost-to-go and every alias table for the day, from its parameters `now`.
    void update(const Scenario& scenario, const DayParameters& now, const DayConditions& day);

    [[nodiscard]] bool groups_choose_apart() const { return classes_ > 1; }
    // Who chooses alike: an agent of this profile and demographic group.
    [[nodiscard]] int chooser(int profile, int group) const {
        return profile * classes_ + (class_of_group_.empty() ? 0 : class_of_group_[static_cast<std::size_t>(group)]);
    }
    [[nodiscard]] const Option& sample(int location, int chooser, std::uint32_t word_column,
                                       std::uint32_t word_coin) const;
    // Locations x choosers (one chooser per profile when groups all choose alike).
    [[nodiscard]] const Eigen::MatrixXd& cost_to_go() const { return cost_to_go_; }
    // Options open at (location, chooser) with their probabilities today, for tests and tools.
    [[nodiscard]] std::vector<std::pair<Option, double>> probabilities(int location, int chooser) const;

private:
    [[nodiscard]] double option_cost(const DayParameters& now, const DayConditions& day, const RouteWeights& w,
                                     const Option& o, bool& open) const;
    [[nodiscard]] RouteWeights weights(const Scenario& s, const DayParameters& now, std::size_t chooser) const;

    int classes_ = 1;                      // group classes (1 without groups)
    std::vector<int> class_of_group_;      // per group; empty without groups
    std::vector<int> class_group_;         // a group of each class (its weight factors); -1: none
    std::size_t choosers_;                 // profiles x classes
    std::vector<Option> options_;          // grouped by (location, chooser)
    std::vector<std::uint32_t> offsets_;   // block b = location * choosers + chooser
    std::vector<int> option_to_;           // where each option leads
    struct LinkRow {                       // per link, what its options' costs read (no strings)
        int to, market, travel_days;
    };
    std::vector<LinkRow> links_;
    std::vector<double> cost_;   // today's G without cost-to-go, per option
    std::vector<bool> open_;
    std::vector<double> probability_;   // today's logit probability, per option
    AliasTables alias_;                 // one block per (location, chooser)
    Eigen::MatrixXd cost_to_go_;
};

}   // namespace migsim::detail

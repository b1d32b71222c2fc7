// The options and their costs: what route plans (model/route_plans.hpp) are made of. Every
// location offers options to each *chooser*: each outgoing link (by the passages open to its
// profile: regular, with a smuggler, alone), each pathway it may apply to, and staying put. The
// generalised cost of an option is
//   G = w_time * days + w_money * price + w_interception * p_int + w_death * p_death
// with p_int, p_death the *perceived* rates: as word reaches everyone (`cost`), and as those
// waiting where the option starts see them (`local_cost`, docs/BEHAVIOUR.md). The cost-to-go
// V(x) is the cheapest G-path from x to one of the chooser's destinations (Bellman-Ford on the
// costs as word reaches everyone, an Eigen matrix locations x choosers). A chooser is a
// profile, or a (profile, group class) pair when demographic groups choose differently: a group
// class gathers the groups with the same weight factors and the same pathways open to them
// (docs/HARM.md), so a scenario whose groups all choose alike has one class and pays nothing.
#pragma once

#include <Eigen/Dense>

#include <array>
#include <cstdint>
#include <vector>

#include "migsim/scenario.hpp"

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
    // What those waiting at the link's start believe: their own observations (who came back,
    // who was not heard of again) smoothed over the shorter local lag.
    std::array<std::vector<double>, 3> local_interception, local_death;
    std::vector<bool> pathway_accepting;   // open and quota left in this period
    std::vector<bool> location_full;       // at or above capacity (yesterday's count)
};

class RouteChoice {
public:
    explicit RouteChoice(const Scenario& scenario);

    // Recomputes every option's cost and the cost-to-go for the day, from its parameters `now`.
    void update(const Scenario& scenario, const DayParameters& now, const DayConditions& day);

    [[nodiscard]] bool groups_choose_apart() const { return classes_ > 1; }
    [[nodiscard]] std::size_t choosers() const { return choosers_; }
    // Who chooses alike: an agent of this profile and demographic group.
    [[nodiscard]] int chooser(int profile, int group) const {
        return profile * classes_ + (class_of_group_.empty() ? 0 : class_of_group_[static_cast<std::size_t>(group)]);
    }
    [[nodiscard]] std::size_t profile_of(std::size_t chooser) const { return chooser / class_group_.size(); }
    // The options at (location, chooser): indices first..end-1 of option(), cost(), ...
    [[nodiscard]] std::size_t first(std::size_t location, std::size_t chooser) const {
        return offsets_[location * choosers_ + chooser];
    }
    [[nodiscard]] std::size_t end(std::size_t location, std::size_t chooser) const {
        return offsets_[location * choosers_ + chooser + 1];
    }
    [[nodiscard]] const Option& option(std::size_t i) const { return options_[i]; }
    [[nodiscard]] int leads_to(std::size_t i) const { return option_to_[i]; }
    [[nodiscard]] bool open(std::size_t i) const { return open_[i]; }
    [[nodiscard]] double cost(std::size_t i) const { return cost_[i]; }
    [[nodiscard]] double local_cost(std::size_t i) const { return local_cost_[i]; }
    // Locations x choosers (one chooser per profile when groups all choose alike).
    [[nodiscard]] const Eigen::MatrixXd& cost_to_go() const { return cost_to_go_; }

private:
    // `local`: with the rates seen where the option starts.
    [[nodiscard]] double option_cost(const DayParameters& now, const DayConditions& day, const RouteWeights& w,
                                     const Option& o, bool local, bool& open) const;
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
    std::vector<double> cost_, local_cost_;   // today's G without cost-to-go, per option
    std::vector<bool> open_;
    Eigen::MatrixXd cost_to_go_;
};

}   // namespace migsim::detail

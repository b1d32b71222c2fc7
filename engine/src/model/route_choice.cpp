#include "model/route_choice.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include "model/draws.hpp"

namespace migsim::detail {

namespace {
constexpr double unreachable = std::numeric_limits<double>::infinity();

bool contains(const std::vector<int>& items, int x) { return std::find(items.begin(), items.end(), x) != items.end(); }

bool may_apply(const Pathway& pathway, int group) {
    return group == no_index || pathway.groups.empty() || contains(pathway.groups, group);
}

// Groups choose alike when their weight factors are equal and the same pathways are open to them.
bool choose_alike(const Scenario& s, int a, int b) {
    const RouteWeights& fa = s.groups[static_cast<std::size_t>(a)].weight_factors;
    const RouteWeights& fb = s.groups[static_cast<std::size_t>(b)].weight_factors;
    if (fa.time != fb.time || fa.money != fb.money || fa.interception != fb.interception || fa.death != fb.death)
        return false;
    return std::all_of(s.pathways.begin(), s.pathways.end(),
                       [&](const Pathway& w) { return may_apply(w, a) == may_apply(w, b); });
}
}   // namespace

RouteChoice::RouteChoice(const Scenario& s) {
    class_group_.push_back(no_index);
    if (!s.groups.empty()) {
        class_group_.clear();
        for (int g = 0; g < static_cast<int>(s.groups.size()); ++g) {
            const auto same = std::find_if(class_group_.begin(), class_group_.end(),
                                           [&](int other) { return choose_alike(s, g, other); });
            class_of_group_.push_back(static_cast<int>(same - class_group_.begin()));
            if (same == class_group_.end()) class_group_.push_back(g);
        }
    }
    classes_ = static_cast<int>(class_group_.size());
    choosers_ = s.profiles.size() * class_group_.size();
    offsets_.reserve(s.locations.size() * choosers_ + 1);
    std::vector<std::vector<std::size_t>> links_from(s.locations.size());   // in link order
    for (std::size_t l = 0; l < s.links.size(); ++l) links_from[static_cast<std::size_t>(s.links[l].from)].push_back(l);
    for (const Link& link : s.links) links_.push_back({link.to, link.market, s.travel_days(link)});
    for (std::size_t at = 0; at < s.locations.size(); ++at) {
        for (std::size_t c = 0; c < choosers_; ++c) {
            offsets_.push_back(static_cast<std::uint32_t>(options_.size()));
            auto add = [&](Option::Kind kind, Passage passage, std::size_t index, int to) {
                options_.push_back({kind, passage, static_cast<std::uint16_t>(index)});
                option_to_.push_back(to);
            };
            add(Option::Kind::stay, Passage::regular, 0, static_cast<int>(at));
            if (s.locations[at].kind == LocationKind::destination) continue;
            const std::size_t p = c / class_group_.size();
            const int group = class_group_[c % class_group_.size()];
            const auto& profile = s.profiles[p];
            for (std::size_t l : links_from[at]) {
                const Link& link = s.links[l];
                if (link.border != no_index && contains(profile.visa_free, link.border)) {
                    add(Option::Kind::link, Passage::regular, l, link.to);
                    continue;
                }
                if (link.market != no_index) add(Option::Kind::link, Passage::smuggled, l, link.to);
                if (link.border != no_index && link.alone) add(Option::Kind::link, Passage::alone, l, link.to);
                if (link.border == no_index && link.market == no_index)
                    add(Option::Kind::link, Passage::regular, l, link.to);
            }
            for (std::size_t w = 0; w < s.pathways.size(); ++w) {
                const Pathway& pathway = s.pathways[w];
                if (contains(pathway.eligible, static_cast<int>(p)) && may_apply(pathway, group) &&
                    (pathway.from.empty() || contains(pathway.from, static_cast<int>(at))))
                    add(Option::Kind::pathway, Passage::regular, w, pathway.to);
            }
        }
    }
    offsets_.push_back(static_cast<std::uint32_t>(options_.size()));
    cost_.resize(options_.size());
    local_cost_.resize(options_.size());
    open_.resize(options_.size());
    cost_to_go_.resize(static_cast<Eigen::Index>(s.locations.size()), static_cast<Eigen::Index>(choosers_));
}

RouteWeights RouteChoice::weights(const Scenario& s, const DayParameters& now, std::size_t chooser) const {
    RouteWeights w = now.profiles[chooser / class_group_.size()].weights;
    const int group = class_group_[chooser % class_group_.size()];
    if (group == no_index) return w;
    const RouteWeights& factor = s.groups[static_cast<std::size_t>(group)].weight_factors;
    return {w.time * factor.time, w.money * factor.money, w.interception * factor.interception, w.death * factor.death};
}

double RouteChoice::option_cost(const DayParameters& now, const DayConditions& day, const RouteWeights& w,
                                const Option& o, bool local, bool& open) const {
    open = true;
    if (o.kind == Option::Kind::stay) return w.time;
    if (o.kind == Option::Kind::pathway) {
        const DayParameters::PathwayValues& p = now.pathways[o.index];
        open = day.pathway_accepting[o.index];
        return w.time * std::max(1, p.processing_days) + w.money * p.cost;
    }
    const LinkRow& link = links_[o.index];
    const DayParameters::LinkValues& values = now.links[o.index];
    open = !day.location_full[static_cast<std::size_t>(link.to)];
    double g = w.time * link.travel_days;
    const auto k = static_cast<std::size_t>(o.passage);
    if (o.passage == Passage::smuggled) {
        open = open && now.markets[static_cast<std::size_t>(link.market)].capacity > 0;
        g += w.money * day.market_price[static_cast<std::size_t>(link.market)];
    } else {
        g += w.money * (values.cost + values.bribe);   // smugglers pay officials for their passengers
    }
    g += w.money * values.toll;
    // Those who cross alone pay the bribe to be let through more often (docs/HARM.md).
    const double bribed = o.passage == Passage::alone && values.bribe > 0 ? values.bribe_interception : 1.0;
    const auto& interception = local ? day.local_interception : day.perceived_interception;
    const auto& death = local ? day.local_death : day.perceived_death;
    return g + w.interception * bribed * interception[k][o.index] + w.death * death[k][o.index];
}

void RouteChoice::update(const Scenario& s, const DayParameters& now, const DayConditions& day) {
    const std::size_t locations = s.locations.size();
    std::vector<RouteWeights> w(choosers_);   // the profile's weights times its group class's factors
    for (std::size_t c = 0; c < choosers_; ++c) w[c] = weights(s, now, c);
    for (std::size_t at = 0; at < locations; ++at)
        for (std::size_t c = 0; c < choosers_; ++c)
            for (std::size_t i = offsets_[at * choosers_ + c]; i < offsets_[at * choosers_ + c + 1]; ++i) {
                bool open = true;
                cost_[i] = option_cost(now, day, w[c], options_[i], false, open);
                local_cost_[i] = option_cost(now, day, w[c], options_[i], true, open);
                open_[i] = open;
            }

    // Cost-to-go: Bellman-Ford from each chooser's destinations, over open moving options.
    cost_to_go_.setConstant(unreachable);
    for (std::size_t c = 0; c < choosers_; ++c) {
        const auto column = static_cast<Eigen::Index>(c);
        for (int d : s.profiles[c / class_group_.size()].destinations) cost_to_go_(d, column) = 0;
        for (std::size_t round = 0; round < locations; ++round) {
            bool changed = false;
            for (std::size_t at = 0; at < locations; ++at) {
                double& best = cost_to_go_(static_cast<Eigen::Index>(at), column);
                const std::size_t b = at * choosers_ + c;
                for (std::size_t i = offsets_[b]; i < offsets_[b + 1]; ++i) {
                    if (options_[i].kind == Option::Kind::stay || !open_[i]) continue;
                    const double after =
                        options_[i].kind == Option::Kind::pathway ? 0.0 : cost_to_go_(option_to_[i], column);
                    const double via = cost_[i] + after;
                    if (via < best) {
                        best = via;
                        changed = true;
                    }
                }
            }
            if (!changed) break;
        }
    }
}

}   // namespace migsim::detail

// The scenario as the per-agent loops read it: flat records of numbers and indices, without the
// ids, names and lists of the loaded Scenario's records (a Link holds its id, a Location three
// strings, a Market its name and links). Those stay in the Scenario, the cold table beside
// these, read for output and messages. Built once per simulation from the scenario as loaded;
// events never change it (what they change is DayParameters, migsim/scenario.hpp).
#pragma once

#include <cstdint>
#include <vector>

#include "migsim/scenario.hpp"

namespace migsim::detail {

struct FlatScenario {
    struct LinkRow {
        int from = no_index, to = no_index;   // location indices
        int border = no_index, market = no_index;
        int travel_days = 0;   // Scenario::travel_days
        double distance_km = 0;
    };
    std::vector<LinkRow> links;
    std::vector<LocationKind> location_kind;    // as loaded (Flee's town/conflict zone: DayParameters)
    std::vector<int> border_return_to;          // where the intercepted go; no_index: the link's `from`
    std::vector<std::uint8_t> market_package;   // the market sells a package of several links
    std::vector<int> pathway_to;                // a pathway's destination
    std::vector<int> harm_return_to;            // where a detention harm sends people; no_index: home
    int max_attempts = 0, give_up_days = 0;
    GiveUpAction give_up_action = GiveUpAction::settle;

    explicit FlatScenario(const Scenario& s)
        : max_attempts(s.settings.max_attempts), give_up_days(s.settings.give_up_days),
          give_up_action(s.settings.give_up_action) {
        links.reserve(s.links.size());
        for (const Link& l : s.links)
            links.push_back({l.from, l.to, l.border, l.market, s.travel_days(l), l.distance_km});
        location_kind.reserve(s.locations.size());
        for (const Location& l : s.locations) location_kind.push_back(l.kind);
        for (const Border& b : s.borders) border_return_to.push_back(b.return_to);
        for (const Market& m : s.markets) market_package.push_back(m.links.size() > 1 ? 1 : 0);
        for (const Pathway& p : s.pathways) pathway_to.push_back(p.to);
        for (const Harm& h : s.harms) harm_return_to.push_back(h.return_to);
    }
};

}   // namespace migsim::detail

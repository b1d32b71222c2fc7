#include "scenario/validate.hpp"

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "migsim/errors.hpp"
#include "scenario/parameters.hpp"

namespace migsim::detail {

namespace {

// Per location: can `profile` get from here to one of its destinations, over links and the
// pathways it may use? One backward search from the destinations, O(locations + links +
// pathway places) per profile, so that networks of tens of thousands of places validate in
// well under a second.
std::vector<bool> can_arrive(const Scenario& s, int profile, const std::vector<std::vector<int>>& links_into) {
    const std::size_t N = s.locations.size();
    // Pathways as backward edges: to -> each place one may apply from; "anywhere" pathways
    // make every place good as soon as their destination is.
    std::vector<std::vector<int>> applied_into(N);
    std::vector<bool> anywhere_into(N, false);
    for (const auto& p : s.pathways) {
        bool eligible = false;
        for (int e : p.eligible) eligible = eligible || e == profile;
        if (!eligible) continue;
        const auto to = static_cast<std::size_t>(p.to);
        if (p.from.empty()) anywhere_into[to] = true;
        for (int from : p.from) applied_into[to].push_back(from);
    }
    std::vector<bool> good(N, false);
    std::vector<int> stack;
    auto mark = [&](int at) {
        if (!good[static_cast<std::size_t>(at)]) {
            good[static_cast<std::size_t>(at)] = true;
            stack.push_back(at);
        }
    };
    for (int d : s.profiles[static_cast<std::size_t>(profile)].destinations) mark(d);
    while (!stack.empty()) {
        const auto at = static_cast<std::size_t>(stack.back());
        stack.pop_back();
        if (anywhere_into[at]) return std::vector<bool>(N, true);
        for (int l : links_into[at]) mark(s.links[static_cast<std::size_t>(l)].from);
        for (int from : applied_into[at]) mark(from);
    }
    return good;
}

// The engine keeps agents' fields narrow (engine/src/model/agents.hpp, route_choice.hpp,
// parallel/selection.hpp): a scenario beyond these sizes would be cut down silently.
void check_storage_limits(const Scenario& s) {
    auto at_most = [](const std::string& what, std::size_t count, std::size_t most, const std::string& why) {
        if (count > most)
            throw ScenarioError(what + ": " + std::to_string(count) + "; expected at most " + std::to_string(most) +
                                " (" + why + ")");
    };
    at_most("locations", s.locations.size(), 65535, "an agent's place is stored in 16 bits");
    at_most("links plus pathways", s.links.size() + s.pathways.size(), 65535,
            "the link an agent travels, or the pathway it is in, is stored in 16 bits");
    at_most("markets plus pathways", s.markets.size() + s.pathways.size(), 65535,
            "the market or pathway a migrant asks for is stored in 16 bits");
    at_most("profiles", s.profiles.size(), 256, "an agent's profile is stored in 8 bits");
    // A journey's days are an int (and an agent's days 16 bits): a distance of 1e300 km, or a
    // speed of 1e-300 km per day, would overflow Scenario::travel_days.
    for (const auto& l : s.links) {
        const double speed = s.settings.speed_km_per_day[static_cast<std::size_t>(l.mode)];
        const double days = l.distance_km / speed;
        if (!(days <= 65535)) {
            std::ostringstream text;
            text << "links: link '" << l.id << "' is " << l.distance_km << " km at " << speed << " km per day by "
                 << to_string(l.mode);
            throw ScenarioError(text.str() + "; expected a journey of at most 65535 days (check distance_km and "
                                             "the speeds)");
        }
    }
    {
        const auto factors = s.largest_demand_factors();
        const bool scaled = std::any_of(factors.begin(), factors.end(), [](double f) { return f != 1; });
        at_most("migrants in the demand", static_cast<std::size_t>(s.total_agents()), 4294967295u,
                scaled ? "agent ids are 32 bits; counted at each profile's largest demand_factor"
                       : "agent ids are 32 bits");
    }
    for (std::size_t m = 0; m < s.markets.size(); ++m)
        if (s.markets[m].links.size() > 1 && m + 1 > 255)
            throw ScenarioError("markets: package market '" + s.markets[m].id + "' is market " + std::to_string(m + 1) +
                                "; expected packages (markets selling several links) among the first 255 markets "
                                "(a migrant's package seat is stored in 8 bits): list it earlier");
}

}   // namespace

void validate(const Scenario& s) {
    check_dates(s);
    check_storage_limits(s);
    std::vector<std::vector<int>> links_into(s.locations.size());
    for (std::size_t l = 0; l < s.links.size(); ++l)
        links_into[static_cast<std::size_t>(s.links[l].to)].push_back(static_cast<int>(l));
    std::vector<std::vector<bool>> good(s.profiles.size());   // computed for profiles in demand
    for (const auto& d : s.demand) {
        auto& arrive = good[static_cast<std::size_t>(d.profile)];
        if (arrive.empty()) arrive = can_arrive(s, d.profile, links_into);
        if (arrive[static_cast<std::size_t>(d.origin)]) continue;
        const auto& p = s.profiles[static_cast<std::size_t>(d.profile)];
        std::string names;
        for (int k : p.destinations) names += (names.empty() ? "" : ", ") + s.locations[static_cast<std::size_t>(k)].id;
        throw ScenarioError(d.file + ":" + std::to_string(d.line) + ": profile '" + p.id + "' starts at '" +
                            s.locations[static_cast<std::size_t>(d.origin)].id + "', but none of its destinations (" +
                            names +
                            ") can be reached from there over links or pathways; expected a "
                            "connected route (check the links table)");
    }
    for (const auto& p : s.pathways)
        for (int from : p.from)
            if (s.locations[static_cast<std::size_t>(from)].kind == LocationKind::destination)
                throw ScenarioError("pathways: pathway '" + p.id + "' lists '" +
                                    s.locations[static_cast<std::size_t>(from)].id +
                                    "' in 'from', a destination; expected places where migrants wait");
}

}   // namespace migsim::detail

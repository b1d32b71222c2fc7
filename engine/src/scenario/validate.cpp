#include "scenario/validate.hpp"

#include <algorithm>
#include <set>
#include <vector>

#include "migsim/errors.hpp"

namespace migsim::detail {

namespace {

// Locations reachable from `start` for `profile` over links and the pathways it may use.
std::vector<bool> reachable(const Scenario& s, int start, int profile) {
    std::vector<bool> seen(s.locations.size(), false);
    std::vector<int> stack{start};
    seen[static_cast<std::size_t>(start)] = true;
    while (!stack.empty()) {
        int at = stack.back();
        stack.pop_back();
        auto visit = [&](int to) {
            if (!seen[static_cast<std::size_t>(to)]) {
                seen[static_cast<std::size_t>(to)] = true;
                stack.push_back(to);
            }
        };
        for (const auto& l : s.links)
            if (l.from == at) visit(l.to);
        for (const auto& p : s.pathways) {
            bool eligible = std::find(p.eligible.begin(), p.eligible.end(), profile) != p.eligible.end();
            bool here = p.from.empty() || std::find(p.from.begin(), p.from.end(), at) != p.from.end();
            if (eligible && here) visit(p.to);
        }
    }
    return seen;
}

}  // namespace

void validate(const Scenario& s) {
    std::set<std::pair<int, int>> starts;
    for (const auto& d : s.demand) {
        if (!starts.emplace(d.origin, d.profile).second) continue;
        const int origin = d.origin, profile = d.profile;
        const auto& p = s.profiles[static_cast<std::size_t>(profile)];
        auto seen = reachable(s, origin, profile);
        bool any = false;
        for (int d : p.destinations) any = any || seen[static_cast<std::size_t>(d)];
        if (!any) {
            std::string names;
            for (int d : p.destinations) names += (names.empty() ? "" : ", ") + s.locations[static_cast<std::size_t>(d)].id;
            throw ScenarioError(d.file + ":" + std::to_string(d.line) + ": profile '" + p.id + "' starts at '" +
                                s.locations[static_cast<std::size_t>(origin)].id +
                                "', but none of its destinations (" + names +
                                ") can be reached from there over links or pathways; expected a "
                                "connected route (check the links table)");
        }
    }
    for (const auto& p : s.pathways)
        for (int from : p.from)
            if (s.locations[static_cast<std::size_t>(from)].kind == LocationKind::destination)
                throw ScenarioError("pathways: pathway '" + p.id + "' lists '" +
                                    s.locations[static_cast<std::size_t>(from)].id +
                                    "' in 'from', a destination; expected places where migrants wait");
}

}  // namespace migsim::detail

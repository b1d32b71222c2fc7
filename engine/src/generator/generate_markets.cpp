// Smugglers of the generated network: the desert-and-boat packages first (an agent's package
// seat is stored as 1 + market index in 8 bits, so packages must come first), then boats on
// the sea crossings that no package sells (every crossing one cannot attempt alone has boats),
// then guides on some land-border crossings. Capacities are drawn around the average daily
// flow a market could expect (30% to 200% of it), so that some bind on busy days.
#include <algorithm>

#include "generator/generator.hpp"

namespace migsim::detail {

namespace {

struct MarketStyle {
    int price_low, price_high;       // money per seat
    int evasion_low, evasion_high;   // percent
    int safety_low, safety_high;     // percent
    int premium_low, premium_high;   // percent
};

void add_market(Generator& g, const std::string& id, const std::string& name, std::vector<int> links,
                const MarketStyle& style, std::int64_t daily_flow) {
    const auto index = g.s.markets.size();
    Market m;
    m.id = id;
    m.name = name;
    for (int l : links) g.s.links[static_cast<std::size_t>(l)].market = static_cast<int>(index);
    m.links = std::move(links);
    m.price = g.draws.decimal(style.price_low, style.price_high, 1, Draw::market, index, 0);
    m.capacity = std::max<std::int64_t>(1, daily_flow * g.draws.between(30, 200, Draw::capacity, index) / 100);
    m.evasion = g.draws.decimal(style.evasion_low, style.evasion_high, 100, Draw::market, index, 1);
    m.safety = g.draws.decimal(style.safety_low, style.safety_high, 100, Draw::market, index, 2);
    m.risk_premium = g.draws.decimal(style.premium_low, style.premium_high, 100, Draw::market, index, 3);
    g.s.markets.push_back(std::move(m));
}

std::string place_id(const Generator& g, int link, bool to) {
    const Link& l = g.s.links[static_cast<std::size_t>(link)];
    return g.s.locations[static_cast<std::size_t>(to ? l.to : l.from)].id;
}

std::string place_name(const Generator& g, int link, bool to) {
    const Link& l = g.s.links[static_cast<std::size_t>(link)];
    return g.s.locations[static_cast<std::size_t>(to ? l.to : l.from)].name;
}

}   // namespace

void add_markets(Generator& g) {
    const auto sea_flow = g.agents_per_day / static_cast<std::int64_t>(g.sea_links.size());
    const std::size_t packages = g.packages.size();
    for (std::size_t k = 0; k < packages; ++k) {
        const auto [desert, boat] = g.packages[k];
        add_market(g, numbered("package", k + 1, packages),
                   "Desert-and-boat package from " + place_name(g, desert, false) + " to " + place_name(g, boat, true),
                   {desert, boat}, MarketStyle{800, 2000, 10, 40, 100, 150, 20, 80}, sea_flow);
    }
    for (const int l : g.sea_links) {
        const Link& link = g.s.links[static_cast<std::size_t>(l)];
        if (link.market != no_index) continue;   // sold by a package
        if (link.alone && !g.draws.chance(500000, Draw::market, static_cast<std::size_t>(l), 4)) continue;
        add_market(g, "boats-" + place_id(g, l, false) + "-" + place_id(g, l, true),
                   "Boats from " + place_name(g, l, false) + " to " + place_name(g, l, true), {l},
                   MarketStyle{300, 1500, 10, 60, 80, 150, 20, 100}, sea_flow);
    }
    if (g.land_crossings.empty()) return;
    const auto land_flow = g.agents_per_day / static_cast<std::int64_t>(g.land_crossings.size());
    for (const int l : g.land_crossings) {
        if (!g.draws.chance(400000, Draw::market, static_cast<std::size_t>(l), 5)) continue;
        add_market(g, "guides-" + place_id(g, l, false) + "-" + place_id(g, l, true),
                   "Guides from " + place_name(g, l, false) + " to " + place_name(g, l, true), {l},
                   MarketStyle{50, 300, 20, 60, 100, 100, 0, 50}, land_flow);
    }
}

}   // namespace migsim::detail

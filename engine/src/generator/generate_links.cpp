// Links of the generated network, between consecutive layers: each place has one way on (so
// every origin reaches a destination) and each place of the next layer a way in; cross links
// to a neighbour make the layers a braid with a route choice at most places. Every coast has a
// sea crossing under patrol, most a second one; a few have a fence one can climb alone, a few
// a desert leg that a package sells with the boat on. The links from the land-border layer
// cross a land border (every other group of places).
//
// The engine indexes links (and pathways after them) in 16 bits: the links stay within
// max_generated_links. One way on per place is always possible; cross links take what the
// other links leave, at most 35% of places (fewer above about 45,000 places, none at 65,000).
#include <algorithm>
#include <cassert>

#include "generator/generator.hpp"

namespace migsim::detail {

namespace {

constexpr std::int64_t cross_links_per_million = 350000;

struct LinkStyle {
    Mode mode;
    int km_low, km_high;
    int cents_per_km_low, cents_per_km_high;   // fare
    int death_per_mille_high;                  // death risk in [0, this / 1000]
};

int add_link(Generator& g, int from, int to, const LinkStyle& style, const std::string& suffix, int border = no_index) {
    const auto index = g.s.links.size();
    Link l;
    l.id = g.s.locations[static_cast<std::size_t>(from)].id + "-" + g.s.locations[static_cast<std::size_t>(to)].id +
           suffix;
    l.from = from;
    l.to = to;
    const std::int64_t km = g.draws.between(style.km_low, style.km_high, Draw::link, index, 0);
    l.distance_km = static_cast<double>(km);
    l.mode = style.mode;
    l.cost = static_cast<double>(
                 km * g.draws.between(style.cents_per_km_low, style.cents_per_km_high, Draw::link, index, 1)) /
             100;
    l.death_risk = g.draws.decimal(0, style.death_per_mille_high, 1000, Draw::link, index, 2);
    l.border = border;
    g.s.links.push_back(std::move(l));
    return static_cast<int>(index);
}

// Links the places of `from` to those of `to`: one way on each, one way in each, and cross
// links while `cross_left` lasts. `border_of(i)`: the border the links from place i cross.
template <class BorderOf>
void link_layers(Generator& g, const std::vector<int>& from, const std::vector<int>& to, const LinkStyle& style,
                 std::int64_t cross_per_million, std::int64_t& cross_left, BorderOf border_of) {
    const auto a = static_cast<std::int64_t>(from.size()), b = static_cast<std::int64_t>(to.size());
    std::vector<bool> reached(to.size(), false);
    auto add = [&](std::int64_t i, std::int64_t j) {
        const int border = border_of(i);
        const int l =
            add_link(g, from[static_cast<std::size_t>(i)], to[static_cast<std::size_t>(j)], style, "", border);
        if (border != no_index) {
            g.s.links[static_cast<std::size_t>(l)].alone = true;   // one can walk across a land border
            g.land_crossings.push_back(l);
        }
        reached[static_cast<std::size_t>(j)] = true;
    };
    for (std::int64_t i = 0; i < a; ++i) {
        const std::int64_t j = i * b / a;
        add(i, j);
        const auto place = static_cast<std::size_t>(from[static_cast<std::size_t>(i)]);
        if (cross_left > 0 && b > 1 && g.draws.chance(cross_per_million, Draw::cross_link, place, 0)) {
            const std::int64_t side = g.draws.between(0, 1, Draw::cross_link, place, 1) == 0 ? -1 : 1;
            add(i, j + side >= 0 && j + side < b ? j + side : j - side);
            --cross_left;
        }
    }
    for (std::int64_t j = 0; j < b; ++j)   // a wider next layer: a way into each of its places
        if (!reached[static_cast<std::size_t>(j)]) add(j * a / b, j);
}

}   // namespace

void add_links(Generator& g) {
    Scenario& s = g.s;
    const Shape& shape = g.shape;
    std::vector<const std::vector<int>*> chain{&g.layers.origins};
    for (const auto& layer : g.layers.hubs) chain.push_back(&layer);
    chain.push_back(&g.layers.coasts);

    // Cross links get the share of the limit that the others leave: a way on from each place
    // and into each place, two sea crossings per coast, the fences and the desert legs.
    std::int64_t others = 2 * shape.coasts + shape.fences + shape.packages;
    for (std::size_t k = 0; k + 1 < chain.size(); ++k)
        others += static_cast<std::int64_t>(std::max(chain[k]->size(), chain[k + 1]->size()));
    std::int64_t cross_left = std::max<std::int64_t>(0, max_generated_links - others);
    const std::int64_t candidates = static_cast<std::int64_t>(s.locations.size()) - shape.coasts - shape.destinations;
    const std::int64_t cross_rate = std::min(cross_links_per_million, cross_left * 1000000 / candidates);
    for (std::size_t k = 0; k + 1 < chain.size(); ++k) {
        const bool to_coast = k + 2 == chain.size();
        const LinkStyle style = k == 0     ? LinkStyle{Mode::land, 150, 500, 2, 5, 0}
                                : to_coast ? LinkStyle{Mode::land, 200, 700, 2, 6, 3}
                                           : LinkStyle{Mode::land, 120, 380, 2, 5, 0};
        const auto size = static_cast<std::int64_t>(chain[k]->size());
        const bool land = chain[k] == g.land_layer;
        link_layers(g, *chain[k], *chain[k + 1], style, cross_rate, cross_left, [&](std::int64_t i) {
            const auto group = static_cast<std::size_t>(i * g.land_groups / size);
            return land && group % 2 == 0 ? g.land_borders[group / 2] : no_index;
        });
    }

    // Sea crossings: one from every coast, a second from most while links are left.
    const auto C = g.layers.coasts.size(), D = g.layers.destinations.size();
    assert(C > 0 && D > 0);   // shape_of() gives at least 2 of each (for the analyzer: no division by 0)
    const LinkStyle sea{Mode::sea, 100, 900, 10, 30, 50}, far_sea{Mode::sea, 300, 1400, 10, 20, 50};
    std::vector<int> first_crossing;
    for (std::size_t c = 0; c < C; ++c) {
        const std::size_t d = c * D / C;
        const auto coast = static_cast<std::size_t>(g.layers.coasts[c]);
        first_crossing.push_back(
            add_link(g, g.layers.coasts[c], g.layers.destinations[d], sea, "-sea", g.sea_borders[d]));
        g.sea_links.push_back(first_crossing.back());
        const auto after = s.links.size() + (C - c - 1) + static_cast<std::size_t>(shape.fences + shape.packages);
        if (after < max_generated_links && g.draws.chance(600000, Draw::cross_link, coast, 2)) {
            const auto d2 = (d + 1 +
                             static_cast<std::size_t>(
                                 g.draws.between(0, static_cast<std::int64_t>(D) - 2, Draw::cross_link, coast, 3))) %
                            D;
            g.sea_links.push_back(
                add_link(g, g.layers.coasts[c], g.layers.destinations[d2], far_sea, "-sea", g.sea_borders[d2]));
        }
    }
    for (const int l : g.sea_links)
        s.links[static_cast<std::size_t>(l)].alone = g.draws.chance(150000, Draw::link, static_cast<std::size_t>(l), 3);

    for (std::size_t k = 0; k < static_cast<std::size_t>(shape.fences); ++k) {   // at an enclave
        const std::size_t c = (2 * k + 1) * C / (2 * static_cast<std::size_t>(shape.fences));
        const int l = add_link(g, g.layers.coasts[c], g.layers.destinations[c * D / C],
                               LinkStyle{Mode::land, 5, 30, 0, 0, 3}, "-fence", g.fence_border);
        s.links[static_cast<std::size_t>(l)].alone = true;
    }
    // Packages: a desert leg from a hub of the last layer to a coast, and the boat on from there.
    const auto& last = g.layers.hubs.back();
    for (std::size_t k = 0; k < static_cast<std::size_t>(shape.packages); ++k) {
        const std::size_t c = (2 * k + 1) * C / (2 * static_cast<std::size_t>(shape.packages));
        const int hub = last[(c * last.size() / C + last.size() / 2) % last.size()];
        const int desert = add_link(g, hub, g.layers.coasts[c], LinkStyle{Mode::land, 900, 1600, 0, 0, 20}, "-desert");
        g.packages.emplace_back(desert, first_crossing[c]);
    }
}

}   // namespace migsim::detail

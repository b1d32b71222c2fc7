// generate_scenario: a synthetic scenario of any size (see migsim/generate.hpp). This file lays
// out the places and the borders and calls the other steps in order: links
// (generate_links.cpp), smugglers (generate_markets.cpp), then profiles, pathways, demand and
// events (generate_migrants.cpp).
//
// Sizes for n places: destinations n/40 (2 to 40), coasts n/12 (2 to 250), origins n/5 (2 to
// 1,000), and the rest transit hubs, in layers about as wide as the origins are many (up to
// 16 layers, wider while the engine's limit on links leaves room: a layer wider than the one
// before costs a link per extra place). The land border is halfway through the hub layers.
// Latitude grows from the origins (-5) to the destinations (40), longitude across a layer.
#include <algorithm>

#include "migsim/errors.hpp"
#include "generator/generator.hpp"

namespace migsim {

namespace detail {

std::string numbered(const std::string& prefix, std::size_t number, std::size_t largest) {
    const std::string digits = std::to_string(number);
    const std::size_t width = std::to_string(largest).size();
    return prefix + "_" + std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
}

}   // namespace detail

namespace {

using detail::Draw;
using detail::Generator;
using detail::numbered;
using detail::Shape;

Shape shape_of(int n) {
    Shape sh;
    sh.destinations = std::clamp(n / 40, 2, 40);
    sh.coasts = std::clamp(n / 12, 2, 250);
    sh.origins = std::clamp(n / 5, 2, 1000);
    sh.fences = std::max(1, sh.coasts / 20);
    sh.packages = std::min(3, sh.coasts);
    const int hubs = n - sh.destinations - sh.coasts - sh.origins;   // >= 4 from 10 places on
    const int spare = max_generated_links - (n - sh.destinations) - sh.fences - sh.packages - sh.coasts;
    int width = std::min(hubs, std::max(sh.origins, (hubs + 15) / 16));
    width = std::min(width, sh.origins + std::max(0, spare / 2));   // keep half the spare for cross links
    const int depth = (hubs + width - 1) / width;
    for (int k = 0; k < depth; ++k) sh.hub_layers.push_back(hubs / depth + (k < hubs % depth ? 1 : 0));
    return sh;
}

// One layer of places, spread west to east at latitude band `band` of `bands`.
std::vector<int> add_places(Generator& g, LocationKind kind, int count, int band, int bands, const std::string& prefix,
                            const std::string& name, int wage_low, int wage_high) {
    static const char* kind_words[] = {"Origin", "Transit", "Coastal", "Destination"};
    std::vector<int> added;
    for (int k = 0; k < count; ++k) {
        const auto index = g.s.locations.size();
        Location l;
        l.id = numbered(prefix, static_cast<std::size_t>(k) + 1, static_cast<std::size_t>(count));
        l.name = name + std::to_string(k + 1);
        l.country = std::string(kind_words[static_cast<int>(kind)]) + " country " + std::to_string(k * 5 / count + 1);
        const std::int64_t lat = -500 + 4500 * band / bands + g.draws.between(-40, 40, Draw::place, index, 0);
        const std::int64_t lon =
            -3000 + 7000 * (2 * k + 1) / (2 * count) + g.draws.between(-40, 40, Draw::place, index, 1);
        l.lat = static_cast<double>(lat) / 100;   // hundredths of a degree
        l.lon = static_cast<double>(lon) / 100;
        l.kind = kind;
        l.wage = g.draws.decimal(wage_low, wage_high, 1, Draw::place, index, 2);
        if (kind == LocationKind::coast && g.draws.chance(100000, Draw::place, index, 3))   // a crowded port
            l.capacity =
                std::max<std::int64_t>(20, g.agents_per_day * g.draws.between(10, 40, Draw::place, index, 4) / count);
        g.s.locations.push_back(std::move(l));
        added.push_back(static_cast<int>(index));
    }
    return added;
}

int add_border(Generator& g, const std::string& id, const std::string& name, int patrol_low, int patrol_high,
               int detention_low, int detention_high) {
    const auto index = g.s.borders.size();
    Border b;
    b.id = id;
    b.name = name;
    b.patrol = g.draws.decimal(patrol_low, patrol_high, 100, Draw::border, index, 0);
    b.detention_days = static_cast<int>(g.draws.between(detention_low, detention_high, Draw::border, index, 1));
    g.s.borders.push_back(std::move(b));
    return static_cast<int>(index);
}

void add_settings(Generator& g) {
    const GeneratorOptions& o = g.options;
    Settings& t = g.s.settings;
    t.name = "generated-" + std::to_string(o.locations) + "-locations-seed-" + std::to_string(o.seed);
    t.description = "Synthetic network from migsim generate: " + std::to_string(o.locations) + " locations, " +
                    std::to_string(o.agents) + " agents, " + std::to_string(o.profiles) + " profiles, " +
                    std::to_string(o.days) + " days, seed " + std::to_string(o.seed) + ".";
    t.start_date = "2020-01-01";
    t.days = o.days;
    t.seed = o.seed;
    t.information_lag_days = 14;
    t.max_attempts = 5;
    t.give_up_days = 180;
    t.give_up_action = GiveUpAction::settle;
}

}   // namespace

void check(const GeneratorOptions& o) {
    auto fail = [](const char* option, const std::string& value, const std::string& expected) {
        throw ScenarioError("generate", 0, option, value, expected);
    };
    if (o.locations < min_generated_locations || o.locations > max_generated_locations)
        fail("--locations", std::to_string(o.locations),
             "a whole number of locations from 10 to 65000 (the engine stores location ids in 16 bits)");
    if (o.agents < 0 || o.agents > max_generated_agents)
        fail("--agents", std::to_string(o.agents),
             "a whole number of agents from 0 to 4294967295 (agent ids are 32 bits)");
    if (o.profiles < 1 || o.profiles > max_generated_profiles)
        fail("--profiles", std::to_string(o.profiles), "a whole number of profiles from 1 to 255 (8 bits per agent)");
    if (o.days < 1 || o.days > max_generated_days) fail("--days", std::to_string(o.days), "whole days from 1 to 65535");
    if (o.seed > max_generated_seed) fail("--seed", std::to_string(o.seed), "a whole number from 0 to 4294967295");
}

Scenario generate_scenario(const GeneratorOptions& options) {
    check(options);
    Generator g(options);
    g.shape = shape_of(options.locations);
    const Shape& shape = g.shape;
    const auto H = shape.hub_layers.size();
    g.departure_days = std::max(1, options.days / 2);
    g.agents_per_day = options.agents / g.departure_days;
    add_settings(g);

    // Places, layer by layer from the origins: the order of the locations table.
    const int bands = static_cast<int>(H) + 2;
    g.layers.origins = add_places(g, LocationKind::origin, shape.origins, 0, bands, "origin", "Origin ", 1, 3);
    for (std::size_t k = 0; k < H; ++k)
        g.layers.hubs.push_back(add_places(g, LocationKind::transit, shape.hub_layers[k], static_cast<int>(k) + 1,
                                           bands, numbered("hub", k + 1, H), "Hub " + std::to_string(k + 1) + ".", 2,
                                           8));
    g.layers.coasts = add_places(g, LocationKind::coast, shape.coasts, bands - 1, bands, "coast", "Coast ", 4, 10);
    g.layers.destinations =
        add_places(g, LocationKind::destination, shape.destinations, bands, bands, "dest", "Destination ", 0, 0);

    // Borders: the sea crossings to each destination, the land border, the fences.
    const auto D = g.layers.destinations.size();
    for (std::size_t d = 0; d < D; ++d)
        g.sea_borders.push_back(add_border(g, numbered("sea", d + 1, D),
                                           "Sea crossings to Destination " + std::to_string(d + 1), 10, 50, 0, 20));
    g.land_layer = H >= 2 ? &g.layers.hubs[H / 2 - 1] : &g.layers.origins;
    g.land_groups = std::clamp(static_cast<int>(g.land_layer->size()) / 25, 1, 40);
    const auto land_borders = static_cast<std::size_t>(g.land_groups + 1) / 2;
    for (std::size_t k = 0; k < land_borders; ++k)
        g.land_borders.push_back(
            add_border(g, numbered("land", k + 1, land_borders), "Land border " + std::to_string(k + 1), 5, 40, 1, 10));
    g.s.borders[static_cast<std::size_t>(g.land_borders[0])].return_to =
        g.land_layer->front();   // back to the border town
    g.fence_border = add_border(g, "fence", "Coast fences", 70, 90, 1, 3);

    detail::add_links(g);
    detail::add_markets(g);
    detail::add_profiles(g);
    detail::add_pathways(g);
    detail::add_demand(g);
    detail::add_events(g);
    return std::move(g.s);
}

}   // namespace migsim

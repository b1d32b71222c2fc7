// The generator's shared state: its draws and the scenario as the steps build it
// (generate.cpp: places and borders; generate_links.cpp; generate_markets.cpp: smugglers;
// generate_migrants.cpp: profiles, pathways, demand and events).
//
// Every number is a pure function of (seed, what it is for, which entity, which value):
// Random123 Philox, and whole numbers by multiply-shift, never a std distribution (whose
// output differs between standard libraries) and never floating point until a whole number
// is scaled to its unit (patrol = k / 100). So the files are the same on every machine.
#pragma once

#include <Random123/philox.h>

#include <cstdint>
#include <string>
#include <vector>

#include "migsim/generate.hpp"

namespace migsim::detail {

enum class Draw : std::uint32_t { place = 1, link, cross_link, border, market, capacity, pathway, profile, demand };

class GeneratorDraws {
public:
    explicit GeneratorDraws(std::uint64_t seed)
        : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}} {}

    // A whole number in [low, high] (high - low < 2^32); `k` numbers the values of one entity.
    [[nodiscard]] std::int64_t between(std::int64_t low, std::int64_t high, Draw what, std::size_t index,
                                       std::uint32_t k = 0) const {
        const auto span = static_cast<std::uint64_t>(high - low + 1);
        return low + static_cast<std::int64_t>((word(what, index, k) * span) >> 32);
    }
    // True with probability per_million / 10^6.
    [[nodiscard]] bool chance(std::int64_t per_million, Draw what, std::size_t index, std::uint32_t k = 0) const {
        return between(0, 999999, what, index, k) < per_million;
    }
    // `units` (a whole number drawn in [low, high]) divided by `scale`: 0.35 as 35 / 100.
    [[nodiscard]] double decimal(std::int64_t low, std::int64_t high, double scale, Draw what, std::size_t index,
                                 std::uint32_t k = 0) const {
        return static_cast<double>(between(low, high, what, index, k)) / scale;
    }

private:
    [[nodiscard]] std::uint64_t word(Draw what, std::size_t index, std::uint32_t k) const {
        r123::Philox4x32 rng;
        const r123::Philox4x32::ctr_type ctr = {
            {static_cast<std::uint32_t>(what), static_cast<std::uint32_t>(index), k, 0}};
        return rng(ctr, key_)[0];
    }
    r123::Philox4x32::key_type key_;
};

// How many of each: see generate.cpp.
struct Shape {
    int destinations = 0, coasts = 0, origins = 0, fences = 0, packages = 0;
    std::vector<int> hub_layers;   // transit hubs per layer
};

// The places by layer, in the order of the locations table.
struct Layers {
    std::vector<int> origins, coasts, destinations;
    std::vector<std::vector<int>> hubs;   // transit hubs, layer by layer from the origins
};

struct Generator {
    GeneratorOptions options;
    GeneratorDraws draws;
    Shape shape;
    Scenario s;
    Layers layers;
    const std::vector<int>* land_layer = nullptr;   // the places before the land border
    int land_groups = 1;                            // that layer in groups; every other group's links cross a border
    int fence_border = no_index;
    std::vector<int> sea_borders;   // per destination: the sea border of crossings to it
    std::vector<int> land_borders;
    std::vector<int> sea_links;                  // coast -> destination crossings (border, sea)
    std::vector<int> land_crossings;             // hub links across a land border
    std::vector<std::pair<int, int>> packages;   // (desert leg, sea leg) a package sells
    int departure_days = 1;                      // migrants set out on days [0, departure_days)
    std::int64_t agents_per_day = 0;             // on average over those days

    explicit Generator(const GeneratorOptions& o) : options(o), draws(o.seed) {}
};

// "dest_07" for 7 of up to 40: ids sort in table order.
[[nodiscard]] std::string numbered(const std::string& prefix, std::size_t number, std::size_t largest);

void add_links(Generator& g);      // after the places and borders
void add_markets(Generator& g);    // after the links
void add_profiles(Generator& g);   // after the borders and places
void add_pathways(Generator& g);   // after the profiles
void add_demand(Generator& g);     // after the links, pathways and profiles
void add_events(Generator& g);     // last

}   // namespace migsim::detail

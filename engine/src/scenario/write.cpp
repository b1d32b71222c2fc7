// write_scenario: a Scenario as scenario.yml and CSV tables in the documented format
// (docs/SCENARIOS.md), such that load_scenario reads back the same values. Numbers are written
// with std::to_chars, the shortest text that parses back to the same double; fields are
// quoted (scenario/quoting.hpp) when they hold a comma, a quote, a line break or an edge space.
#include <charconv>
#include <fstream>
#include <limits>

#include "migsim/errors.hpp"
#include "migsim/generate.hpp"
#include "scenario/parameters.hpp"
#include "scenario/quoting.hpp"

namespace migsim {

namespace fs = std::filesystem;

namespace {

std::string number(double x) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
    return std::string(buffer, result.ptr);
}

// An id as a YAML scalar: plain, unless YAML would read it as null.
std::string yaml_id(const std::string& id) {
    return id == "null" || id == "Null" || id == "NULL" || id == "~" ? detail::yaml_string(id) : id;
}

// One CSV line from fields.
std::string line(std::initializer_list<std::string> fields) {
    std::string out;
    for (const auto& f : fields) {
        if (!out.empty()) out += ',';
        out += detail::csv_field(f);
    }
    return out + "\n";
}

template <class Items, class Index>
std::string ids(const Items& items, const std::vector<Index>& indices, const char* separator, bool yaml = false) {
    std::string out;
    for (auto i : indices) {
        if (!out.empty()) out += separator;
        const std::string& id = items[static_cast<std::size_t>(i)].id;
        out += yaml ? yaml_id(id) : id;
    }
    return out;
}

void save(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) throw OutputError(path.string() + ": cannot write the file (is the folder writable, the disk full?)");
}

std::string settings_yaml(const Scenario& s) {
    const Settings& t = s.settings;
    std::string y = "# Written by migsim (docs/SCENARIOS.md describes every key and table).\n";
    y += "name: " + detail::yaml_string(t.name) + "\n";
    y += "description: " + detail::yaml_string(t.description) + "\n";
    y += "start_date: " + t.start_date + "\n";
    y += "days: " + std::to_string(t.days) + "\n";
    y += "seed: " + std::to_string(t.seed) + "\n";
    y += "speeds_km_per_day: {land: " + number(t.speed_km_per_day[0]) + ", sea: " + number(t.speed_km_per_day[1]) +
         ", air: " + number(t.speed_km_per_day[2]) + "}\n";
    y += "information_lag_days: " + number(t.information_lag_days) + "\n";
    y += "max_attempts: " + std::to_string(t.max_attempts) + "\n";
    y += "give_up_days: " + std::to_string(t.give_up_days) + "\n";
    y += std::string("give_up_action: ") + (t.give_up_action == GiveUpAction::settle ? "settle" : "return") + "\n";
    y += "behaviour: {";
    for (const detail::BehaviourKey& k : detail::behaviour_keys)
        y += std::string(&k == detail::behaviour_keys.data() ? "" : ", ") + k.name + ": " +
             number(t.behaviour.*k.member);
    y += "}\n";
    y += "tables:\n  locations: locations.csv\n  links: links.csv\n  borders: borders.csv\n  markets: markets.csv\n";
    if (!s.pathways.empty()) y += "  pathways: pathways.csv\n";
    y += "  demand: demand.csv\n";
    if (!s.events.empty()) y += "  events: events.csv\n";
    y += "profiles:\n";
    for (const Profile& p : s.profiles) {
        y += "  - id: " + yaml_id(p.id) + "\n";
        y += "    budget: {median: " + number(p.budget_median) + ", sigma: " + number(p.budget_sigma) + "}\n";
        y += "    weights: {time: " + number(p.weights.time) + ", money: " + number(p.weights.money) +
             ", interception: " + number(p.weights.interception) + ", death: " + number(p.weights.death) + "}\n";
        y += "    tau: " + number(p.tau) + "\n";
        y += "    destinations: [" + ids(s.locations, p.destinations, ", ", true) + "]\n";
        y += "    visa_free: [" + ids(s.borders, p.visa_free, ", ", true) + "]\n";
    }
    return y;
}

}   // namespace

void write_scenario(const Scenario& s, const fs::path& dir) {
    std::error_code error;
    fs::create_directories(dir, error);
    if (error) throw OutputError(dir.string() + ": cannot create the folder (" + error.message() + ")");
    save(dir / "scenario.yml", settings_yaml(s));

    std::string t = "id,name,country,lat,lon,kind,capacity,wage\n";
    for (const Location& l : s.locations)
        t += line({l.id, l.name, l.country, number(l.lat), number(l.lon), to_string(l.kind),
                   l.capacity > 0 ? std::to_string(l.capacity) : "", number(l.wage)});
    save(dir / "locations.csv", t);

    t = "id,from,to,distance_km,mode,cost,border,death_risk,alone\n";
    for (const Link& l : s.links)
        t += line({l.id, s.locations[static_cast<std::size_t>(l.from)].id,
                   s.locations[static_cast<std::size_t>(l.to)].id, number(l.distance_km), to_string(l.mode),
                   number(l.cost), l.border == no_index ? "" : s.borders[static_cast<std::size_t>(l.border)].id,
                   number(l.death_risk), l.alone ? "yes" : "no"});
    save(dir / "links.csv", t);

    t = "id,name,patrol,return_to,detention_days\n";
    for (const Border& b : s.borders)
        t += line({b.id, b.name, number(b.patrol),
                   b.return_to == no_index ? "" : s.locations[static_cast<std::size_t>(b.return_to)].id,
                   std::to_string(b.detention_days)});
    save(dir / "borders.csv", t);

    t = "id,name,links,price,capacity,evasion,safety,risk_premium\n";
    for (const Market& m : s.markets)
        t += line({m.id, m.name, ids(s.links, m.links, ";"), number(m.price), std::to_string(m.capacity),
                   number(m.evasion), number(m.safety), number(m.risk_premium)});
    save(dir / "markets.csv", t);

    if (!s.pathways.empty()) {
        t = "id,name,eligible,from,to,quota,period_days,processing_days,cost,open_day,close_day\n";
        for (const Pathway& p : s.pathways)
            t += line(
                {p.id, p.name, ids(s.profiles, p.eligible, ";"), p.from.empty() ? "*" : ids(s.locations, p.from, ";"),
                 s.locations[static_cast<std::size_t>(p.to)].id, std::to_string(p.quota), std::to_string(p.period_days),
                 std::to_string(p.processing_days), number(p.cost), std::to_string(p.open_day),
                 p.close_day == std::numeric_limits<int>::max() ? "" : std::to_string(p.close_day)});
        save(dir / "pathways.csv", t);
    }

    t = "day,origin,profile,count,spread_days\n";
    for (const DemandRow& d : s.demand)
        t += line({std::to_string(d.day), s.locations[static_cast<std::size_t>(d.origin)].id,
                   s.profiles[static_cast<std::size_t>(d.profile)].id, std::to_string(d.count),
                   std::to_string(d.spread_days)});
    save(dir / "demand.csv", t);

    if (!s.events.empty()) {
        t = "day,target,parameter,value\n";
        for (const Event& e : s.events)
            t += line({std::to_string(e.day), target_name(s, e.change), to_string(e.change.parameter),
                       number(e.change.value)});
        save(dir / "events.csv", t);
    }
}

}   // namespace migsim

#include "scenario/tables.hpp"

#include <cctype>
#include <filesystem>

#include <algorithm>
#include <unordered_map>

#include "migsim/errors.hpp"
#include "scenario/csv_table.hpp"
#include "scenario/parameters.hpp"

namespace migsim::detail {

namespace {

// Maps ids to indices for one entity table and reports duplicates and unknown ids.
template <class Items>
class IdIndex {
public:
    IdIndex(const Items& items, const char* what) : what_(what) {
        for (std::size_t i = 0; i < items.size(); ++i) index_.emplace(items[i].id, static_cast<int>(i));
    }
    int at(const CsvTable& t, const CsvTable::Row& row, const std::string& column, const std::string& id) const {
        auto it = index_.find(id);
        if (it == index_.end())
            t.fail(row, column, id,
                   std::string("the id of a ") + what_ + " (unknown id; check its spelling in the " + what_ +
                       "s table)");
        return it->second;
    }
    int at(const CsvTable& t, const CsvTable::Row& row, const std::string& column) const {
        return at(t, row, column, t.id(row, column));
    }

private:
    std::unordered_map<std::string, int> index_;
    const char* what_;
};

// Remembers the ids of one table as its rows are read, to report an id defined twice (a set,
// not a scan of the rows before: tables of 65,000 places load in linear time).
class UniqueIds {
public:
    void check(const CsvTable& t, const CsvTable::Row& row, const std::string& id) {
        auto [at, added] = seen_.emplace(id, row.line);
        if (!added)
            t.fail(row, "id", id,
                   "a unique id (it is defined twice: already on line " + std::to_string(at->second) + ")");
    }

private:
    std::unordered_map<std::string, long> seen_;
};

// Upper bounds of the whole-number columns. Counts are stored in 64 bits and added up (seats
// and places of a day, over ranks), day numbers in int and agents' days in 16 bits; a bound
// keeps a typo (an extra digit, 1e20) from wrapping around into a different scenario.
constexpr std::int64_t most_count = 1'000'000'000'000;   // the same bound as --set
constexpr const char* most_count_why = "the largest count migsim accepts";
constexpr std::int64_t most_agents = 4'294'967'295;
constexpr const char* most_agents_why = "agent ids are 32 bits";
constexpr std::int64_t most_delay = 3650;   // the same bound as --set
constexpr const char* most_delay_why = "ten years";
constexpr std::int64_t most_day = 65535;
constexpr const char* most_day_why = "a run has at most 65535 days";
constexpr double most_km = 100'000;

// A day within the run as the scenario's files set it (`days:` of scenario.yml, or a variant's
// `set: days`), checked when the row is read: a row after the end would never apply. (A
// shorter --days on the command line is fine: it cuts the run, not the scenario.)
int day_in_run(const Scenario& s, const CsvTable& t, const CsvTable::Row& row, const char* what) {
    const std::string expected = "a day from 0 to " + std::to_string(s.settings.days - 1) + " (the run has " +
                                 std::to_string(s.settings.days) + " days, set by 'days' in the scenario's .yml; " +
                                 what + ")";
    const auto day = static_cast<int>(t.integer(row, "day", 0, expected.c_str(), most_day, most_day_why));
    if (day >= s.settings.days) t.fail(row, "day", t.text(row, "day"), expected);
    return day;
}

void require_rows(const CsvTable& t, const char* expected) {
    if (t.rows().empty())
        throw ScenarioError(t.path() + ": the table has no rows, only its header; expected " + expected);
}

}   // namespace

void read_place_columns(const CsvTable& t, const CsvTable::Row& row, Location& l) {
    l.name = t.text(row, "name");
    l.country = t.text(row, "country");
    l.lat = t.number(row, "lat");
    if (l.lat < -90 || l.lat > 90) t.fail(row, "lat", t.text(row, "lat"), "a latitude in [-90, 90]");
    l.lon = t.number(row, "lon");
    if (l.lon < -180 || l.lon > 180) t.fail(row, "lon", t.text(row, "lon"), "a longitude in [-180, 180]");
}

std::string read_locations(Scenario& s, const std::string& path) {
    CsvTable t(path, {"id", "name", "country", "lat", "lon", "kind", "wage"}, {"capacity"});
    UniqueIds unique;
    for (const auto& row : t.rows()) {
        Location l;
        l.id = t.id(row, "id");
        unique.check(t, row, l.id);
        read_place_columns(t, row, l);
        std::string kind = t.text(row, "kind");
        if (kind == "origin") l.kind = LocationKind::origin;
        else if (kind == "transit") l.kind = LocationKind::transit;
        else if (kind == "coast") l.kind = LocationKind::coast;
        else if (kind == "destination") l.kind = LocationKind::destination;
        else t.fail(row, "kind", kind, "origin, transit, coast or destination");
        if (t.has(row, "capacity"))
            l.capacity = t.integer(row, "capacity", 0, "agents >= 0 (0: unlimited)", most_count, most_count_why);
        l.wage = t.number_at_least(row, "wage", 0, "money per day >= 0");
        s.locations.push_back(std::move(l));
    }
    require_rows(t, "at least one location");
    return t.bytes();
}

std::string read_borders(Scenario& s, const std::string& path) {
    CsvTable t(path, {"id", "name", "patrol", "detention_days"}, {"return_to"});
    IdIndex locations(s.locations, "location");
    UniqueIds unique;
    for (const auto& row : t.rows()) {
        Border b;
        b.id = t.id(row, "id");
        unique.check(t, row, b.id);
        b.name = t.text(row, "name");
        b.patrol = t.probability(row, "patrol");
        if (t.has(row, "return_to")) b.return_to = locations.at(t, row, "return_to");
        b.detention_days =
            static_cast<int>(t.integer(row, "detention_days", 0, "whole days >= 0", most_delay, most_delay_why));
        s.borders.push_back(std::move(b));
    }
    return t.bytes();
}

std::string read_links(Scenario& s, const std::string& path) {
    CsvTable t(path, {"id", "from", "to", "distance_km", "mode", "cost"},
               {"border", "death_risk", "alone", "bribe", "bribe_interception", "toll"});
    IdIndex locations(s.locations, "location");
    IdIndex borders(s.borders, "border");
    UniqueIds unique;
    for (const auto& row : t.rows()) {
        Link l;
        l.id = t.id(row, "id");
        unique.check(t, row, l.id);
        l.from = locations.at(t, row, "from");
        l.to = locations.at(t, row, "to");
        if (l.from == l.to) t.fail(row, "to", t.text(row, "to"), "a location other than 'from'");
        if (s.locations[static_cast<std::size_t>(l.from)].kind == LocationKind::destination)
            t.fail(row, "from", t.text(row, "from"),
                   "a location that is not a destination (destinations are terminal)");
        l.distance_km = t.number(row, "distance_km");
        if (l.distance_km <= 0) t.fail(row, "distance_km", t.text(row, "distance_km"), "a distance in km > 0");
        if (l.distance_km > most_km)
            t.fail(row, "distance_km", t.text(row, "distance_km"),
                   "a distance in km > 0, at most 100000 (two and a half times round the Earth)");
        std::string mode = t.text(row, "mode");
        if (mode == "land") l.mode = Mode::land;
        else if (mode == "sea") l.mode = Mode::sea;
        else if (mode == "air") l.mode = Mode::air;
        else t.fail(row, "mode", mode, "land, sea or air");
        l.cost = t.number_at_least(row, "cost", 0, "money >= 0");
        if (t.has(row, "border")) l.border = borders.at(t, row, "border");
        if (t.has(row, "death_risk")) l.death_risk = t.probability(row, "death_risk");
        if (t.has(row, "alone")) {
            std::string alone = t.text(row, "alone");
            if (alone != "yes" && alone != "no") t.fail(row, "alone", alone, "yes or no");
            l.alone = alone == "yes";
        }
        if (t.has(row, "bribe")) l.bribe = t.number_at_least(row, "bribe", 0, "money >= 0");
        if (t.has(row, "bribe_interception")) {
            l.bribe_interception = t.probability(row, "bribe_interception");
            if (l.border == no_index)
                t.fail(row, "bribe_interception", t.text(row, "bribe_interception"),
                       "no value on a link without a border (nobody intercepts there)");
        }
        if (t.has(row, "toll")) l.toll = t.number_at_least(row, "toll", 0, "money >= 0");
        s.links.push_back(std::move(l));
    }
    require_rows(t, "at least one link");
    return t.bytes();
}

std::string read_markets(Scenario& s, const std::string& path) {
    CsvTable t(path, {"id", "name", "links", "price", "capacity", "evasion", "safety", "risk_premium"}, {"protection"});
    IdIndex links(s.links, "link");
    UniqueIds unique;
    for (const auto& row : t.rows()) {
        Market m;
        m.id = t.id(row, "id");
        unique.check(t, row, m.id);
        m.name = t.text(row, "name");
        auto ids = t.list(row, "links");
        if (ids.empty()) t.fail(row, "links", "", "one or more link ids separated by ';'");
        const int index = static_cast<int>(s.markets.size());
        for (const auto& id : ids) {
            int link = links.at(t, row, "links", id);
            auto& l = s.links[static_cast<std::size_t>(link)];
            if (l.market != no_index)
                t.fail(row, "links", id,
                       "a link no other market sells (market '" + s.markets[static_cast<std::size_t>(l.market)].id +
                           "' sells it)");
            l.market = index;
            m.links.push_back(link);
        }
        m.price = t.number_at_least(row, "price", 0, "money per seat >= 0");
        m.capacity = t.integer(row, "capacity", 0, "seats per day >= 0", most_count, most_count_why);
        m.evasion = t.number(row, "evasion");
        if (m.evasion < 0 || m.evasion >= 1) t.fail(row, "evasion", t.text(row, "evasion"), "a number in [0, 1)");
        m.safety = t.number_at_least(row, "safety", 0, "a factor >= 0");
        m.risk_premium = t.number_at_least(row, "risk_premium", 0, "a factor >= 0");
        if (t.has(row, "protection")) m.protection = t.number_at_least(row, "protection", 0, "money >= 0");
        s.markets.push_back(std::move(m));
    }
    return t.bytes();
}

std::string read_pathways(Scenario& s, const std::string& path) {
    CsvTable t(path,
               {"id", "name", "eligible", "from", "to", "quota", "period_days", "processing_days", "cost", "open_day"},
               {"close_day", "groups"});
    IdIndex locations(s.locations, "location");
    IdIndex profiles(s.profiles, "profile");
    IdIndex groups(s.groups, "group");
    UniqueIds unique;
    for (const auto& row : t.rows()) {
        Pathway p;
        p.id = t.id(row, "id");
        unique.check(t, row, p.id);
        p.name = t.text(row, "name");
        auto eligible = t.list(row, "eligible");
        if (eligible.empty()) t.fail(row, "eligible", "", "one or more profile ids separated by ';'");
        for (const auto& id : eligible) p.eligible.push_back(profiles.at(t, row, "eligible", id));
        if (t.text(row, "from") != "*")
            for (const auto& id : t.list(row, "from")) p.from.push_back(locations.at(t, row, "from", id));
        if (p.from.empty() && t.text(row, "from") != "*")
            t.fail(row, "from", "", "location ids separated by ';', or * for anywhere");
        if (t.has(row, "groups"))
            for (const auto& id : t.list(row, "groups")) p.groups.push_back(groups.at(t, row, "groups", id));
        p.to = locations.at(t, row, "to");
        if (s.locations[static_cast<std::size_t>(p.to)].kind != LocationKind::destination)
            t.fail(row, "to", t.text(row, "to"), "a location of kind destination");
        p.quota = t.integer(row, "quota", 0, "places per period >= 0", most_count, most_count_why);
        p.period_days = static_cast<int>(t.integer(row, "period_days", 1, "days >= 1", most_day, most_day_why));
        p.processing_days =
            static_cast<int>(t.integer(row, "processing_days", 0, "days >= 0", most_delay, most_delay_why));
        p.cost = t.number_at_least(row, "cost", 0, "money >= 0");
        p.open_day = static_cast<int>(t.integer(row, "open_day", 0, "a day >= 0", most_day, most_day_why));
        p.close_day =
            t.has(row, "close_day")
                ? static_cast<int>(t.integer(row, "close_day", p.open_day, "a day >= open_day (empty: never closes)",
                                             most_day, most_day_why))
                : std::numeric_limits<int>::max();
        s.pathways.push_back(std::move(p));
    }
    return t.bytes();
}

std::string read_demand(Scenario& s, const std::string& path) {
    CsvTable t(path, {"day", "origin", "profile", "count"}, {"spread_days", "group"});
    IdIndex locations(s.locations, "location");
    IdIndex profiles(s.profiles, "profile");
    IdIndex groups(s.groups, "group");
    s.demand.reserve(s.demand.size() + t.rows().size());   // often the biggest table: no room to spare
    for (const auto& row : t.rows()) {
        DemandRow d;
        d.file = path;
        d.line = row.line;
        d.day = day_in_run(s, t, row, "a row after the end would create nobody");
        d.origin = locations.at(t, row, "origin");
        if (s.locations[static_cast<std::size_t>(d.origin)].kind == LocationKind::destination)
            t.fail(row, "origin", t.text(row, "origin"), "a location that is not a destination");
        d.profile = profiles.at(t, row, "profile");
        d.count = t.integer(row, "count", 0, "agents >= 0", most_agents, most_agents_why);
        if (t.has(row, "spread_days"))
            d.spread_days = static_cast<int>(t.integer(row, "spread_days", 1, "days >= 1", most_day, most_day_why));
        if (t.has(row, "group")) d.group = groups.at(t, row, "group");
        s.demand.push_back(d);
    }
    require_rows(t, "at least one row of new migrants");
    return t.bytes();
}

std::string read_harms(Scenario& s, const std::string& path) {
    CsvTable t(path, {"id", "location", "harm", "daily_risk"},
               {"group", "days", "ransom", "death_risk", "exit_rate", "return_share", "return_to"});
    IdIndex locations(s.locations, "location");
    IdIndex groups(s.groups, "group");
    UniqueIds unique;
    for (const auto& row : t.rows()) {
        Harm h;
        h.id = t.id(row, "id");
        unique.check(t, row, h.id);
        h.location = locations.at(t, row, "location");
        const std::string kind = t.text(row, "harm");
        if (kind == "abduction") h.kind = HarmKind::abduction;
        else if (kind == "trafficking") h.kind = HarmKind::trafficking;
        else if (kind == "violence") h.kind = HarmKind::violence;
        else if (kind == "detention") h.kind = HarmKind::detention;
        else t.fail(row, "harm", kind, "abduction, trafficking, violence or detention");
        if (t.has(row, "group")) h.group = groups.at(t, row, "group");
        h.daily_risk = t.probability(row, "daily_risk");
        // Each kind's own columns; a column another kind would use is a mistake worth saying.
        auto only_for = [&](const char* column, std::initializer_list<HarmKind> kinds) {
            if (!t.has(row, column)) return false;
            for (HarmKind k : kinds)
                if (k == h.kind) return true;
            t.fail(row, column, t.text(row, column),
                   std::string("no value for harm ") + kind + " (it does not use " + column + ")");
            return false;
        };
        if (only_for("days", {HarmKind::abduction, HarmKind::detention}))
            h.days = static_cast<int>(t.integer(row, "days", 1, "whole days >= 1", most_delay, most_delay_why));
        if ((h.kind == HarmKind::abduction || h.kind == HarmKind::detention) && h.days == 0)
            t.fail(row, "days", "", "the days held (>= 1) for harm " + kind);
        if (only_for("ransom", {HarmKind::abduction})) h.ransom = t.number_at_least(row, "ransom", 0, "money >= 0");
        if (only_for("death_risk", {HarmKind::abduction})) h.death_risk = t.probability(row, "death_risk");
        if (only_for("exit_rate", {HarmKind::trafficking})) h.exit_rate = t.probability(row, "exit_rate");
        if (only_for("return_share", {HarmKind::detention})) h.return_share = t.probability(row, "return_share");
        if (only_for("return_to", {HarmKind::detention})) h.return_to = locations.at(t, row, "return_to");
        for (const Harm& other : s.harms)
            if (other.location == h.location && other.kind == h.kind && other.group == h.group)
                t.fail(row, "harm", kind,
                       "one row per location, harm and group (row '" + other.id + "' already sets " + kind + " at " +
                           t.text(row, "location") + (h.group == no_index ? "" : " for group " + t.text(row, "group")) +
                           ")");
        s.harms.push_back(std::move(h));
    }
    return t.bytes();
}

std::string read_events(Scenario& s, const std::string& path) {
    CsvTable t(path, {"day", "target", "parameter", "value"}, {"id"});
    for (const auto& row : t.rows()) {
        Event e;
        e.day = day_in_run(s, t, row, "a change after the end would never apply");
        Origin origin{path, row.line};
        e.where = std::filesystem::path(path).filename().string() + ":" + std::to_string(row.line);
        e.id = t.has(row, "id") ? t.id(row, "id") : e.where;
        if (t.has(row, "id") && std::isdigit(static_cast<unsigned char>(e.id.front())))
            t.fail(row, "id", e.id, "an id that starts with a letter (event:N.value names the N-th event by day)");
        for (const Event& other : s.events)
            if (other.id == e.id) t.fail(row, "id", e.id, "an id no other event has (" + other.where + " has it)");
        if (t.text(row, "target").rfind("profile:", 0) == 0 && t.text(row, "parameter").rfind("budget", 0) == 0)
            t.fail(row, "parameter", t.text(row, "parameter"),
                   "a parameter that can change mid-run (budgets are drawn at departure)");
        e.change = resolve_assignment(s, t.text(row, "target"), t.text(row, "parameter"), t.text(row, "value"), origin);
        s.events.push_back(e);
    }
    std::stable_sort(s.events.begin(), s.events.end(), [](const Event& a, const Event& b) { return a.day < b.day; });
    return t.bytes();
}

}   // namespace migsim::detail

#include "scenario/parameters.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <type_traits>

#include "migsim/errors.hpp"
#include "scenario/csv_table.hpp"
#include "flee/flee_scenario.hpp"

namespace migsim::detail {

namespace {

struct ParameterSpec {
    const char* name;
    TargetKind kind;
    Parameter parameter;
    double low, high;   // accepted closed range, except `high_open`
    bool integer;
    bool high_open;
    const char* expected;
};

constexpr double inf = std::numeric_limits<double>::infinity();

// The one list of changeable parameters: names, owners, ranges.
constexpr ParameterSpec specs[] = {
    {"patrol", TargetKind::border, Parameter::patrol, 0, 1, false, false, "a probability in [0, 1]"},
    {"detention_days", TargetKind::border, Parameter::detention_days, 0, 3650, true, false, "whole days >= 0"},
    {"death_risk", TargetKind::link, Parameter::death_risk, 0, 1, false, false, "a probability in [0, 1]"},
    {"cost", TargetKind::link, Parameter::cost, 0, inf, false, false, "money >= 0"},
    {"price", TargetKind::market, Parameter::price, 0, inf, false, false, "money >= 0"},
    {"capacity", TargetKind::market, Parameter::capacity, 0, 1e12, true, false, "whole seats per day >= 0"},
    {"evasion", TargetKind::market, Parameter::evasion, 0, 1, false, true, "a number in [0, 1)"},
    {"safety", TargetKind::market, Parameter::safety, 0, inf, false, false, "a factor >= 0"},
    {"risk_premium", TargetKind::market, Parameter::risk_premium, 0, inf, false, false, "a factor >= 0"},
    {"quota", TargetKind::pathway, Parameter::quota, 0, 1e12, true, false, "whole places per period >= 0"},
    {"processing_days", TargetKind::pathway, Parameter::processing_days, 0, 3650, true, false, "whole days >= 0"},
    {"cost", TargetKind::pathway, Parameter::cost, 0, inf, false, false, "money >= 0"},
    {"wage", TargetKind::location, Parameter::wage, 0, inf, false, false, "money per day >= 0"},
    {"capacity", TargetKind::location, Parameter::capacity, 0, 1e12, true, false, "whole agents >= 0 (0: unlimited)"},
    {"tau", TargetKind::profile, Parameter::tau, 1e-9, inf, false, false, "a logit scale > 0"},
    {"budget_median", TargetKind::profile, Parameter::budget_median, 0, inf, false, false, "money >= 0"},
    {"budget_sigma", TargetKind::profile, Parameter::budget_sigma, 0, 10, false, false, "a log-sd in [0, 10]"},
    {"weight_time", TargetKind::profile, Parameter::weight_time, 0, inf, false, false, "a weight >= 0"},
    {"weight_money", TargetKind::profile, Parameter::weight_money, 0, inf, false, false, "a weight >= 0"},
    {"weight_interception", TargetKind::profile, Parameter::weight_interception, 0, inf, false, false, "a weight >= 0"},
    {"weight_death", TargetKind::profile, Parameter::weight_death, 0, inf, false, false, "a weight >= 0"},
    {"open", TargetKind::link, Parameter::open, 0, 1, true, false, "1 (open) or 0 (closed)"},
    {"conflict", TargetKind::location, Parameter::conflict, 0, 1e6, false, false,
     "a conflict intensity >= 0 (0: none)"},
    {"bribe", TargetKind::link, Parameter::bribe, 0, inf, false, false, "money >= 0"},
    {"bribe_interception", TargetKind::link, Parameter::bribe_interception, 0, 1, false, false, "a factor in [0, 1]"},
    {"toll", TargetKind::link, Parameter::toll, 0, inf, false, false, "money >= 0"},
    {"protection", TargetKind::market, Parameter::protection, 0, inf, false, false, "money >= 0"},
    {"daily_risk", TargetKind::harm, Parameter::daily_risk, 0, 1, false, false, "a probability in [0, 1]"},
    {"days", TargetKind::harm, Parameter::harm_days, 1, 3650, true, false, "whole days >= 1 (held at least a day)"},
    {"ransom", TargetKind::harm, Parameter::ransom, 0, inf, false, false, "money >= 0"},
    {"death_risk", TargetKind::harm, Parameter::harm_death_risk, 0, 1, false, false, "a probability in [0, 1]"},
    {"exit_rate", TargetKind::harm, Parameter::exit_rate, 0, 1, false, false, "a probability in [0, 1]"},
    {"return_share", TargetKind::harm, Parameter::return_share, 0, 1, false, false, "a share in [0, 1]"},
    // At most a million: round(count * factor) stays far inside 64 bits for any count (agent ids
    // are 32 bits: validate refuses a demand that the largest factor would take past them).
    {"demand_factor", TargetKind::profile, Parameter::demand_factor, 0, 1e6, false, false,
     "a factor from 0 to 1000000"},
};

struct KindName {
    const char* name;
    TargetKind kind;
};
constexpr KindName kind_names[] = {{"border", TargetKind::border},     {"link", TargetKind::link},
                                   {"market", TargetKind::market},     {"pathway", TargetKind::pathway},
                                   {"location", TargetKind::location}, {"profile", TargetKind::profile},
                                   {"harm", TargetKind::harm}};

template <class Items>
int find_id(const Items& items, const std::string& id) {
    for (std::size_t i = 0; i < items.size(); ++i)
        if (items[i].id == id) return static_cast<int>(i);
    return no_index;
}

int find_target(const Scenario& s, TargetKind kind, const std::string& id) {
    switch (kind) {
        case TargetKind::border: return find_id(s.borders, id);
        case TargetKind::link: return find_id(s.links, id);
        case TargetKind::market: return find_id(s.markets, id);
        case TargetKind::pathway: return find_id(s.pathways, id);
        case TargetKind::location: return find_id(s.locations, id);
        case TargetKind::profile: return find_id(s.profiles, id);
        case TargetKind::harm: return find_id(s.harms, id);
    }
    return no_index;
}

std::string parameters_of(TargetKind kind) {
    std::string names;
    for (const auto& spec : specs)
        if (spec.kind == kind) names += (names.empty() ? "" : ", ") + std::string(spec.name);
    return names;
}

}   // namespace

Assignment resolve_assignment(const Scenario& scenario, const std::string& target, const std::string& parameter,
                              const std::string& value, const Origin& origin) {
    auto colon = target.find(':');
    std::string kind_name = target.substr(0, colon);
    const KindName* kind = nullptr;
    for (const auto& k : kind_names)
        if (kind_name == k.name) kind = &k;
    if (colon == std::string::npos || kind == nullptr)
        throw ScenarioError(origin.file, origin.line, "target", target,
                            "KIND:ID with KIND one of border, link, market, pathway, location, "
                            "profile, harm (e.g. border:strait)");
    if (kind->kind == TargetKind::profile && scenario.rules == Rules::flee)
        throw ScenarioError(origin.file, origin.line, "target", target,
                            "profile:ID only with migsim's own rules (Flee's rules have no profiles and no demand "
                            "rows: their new agents come from registrations or conflicts)");
    std::string id = target.substr(colon + 1);
    int index = find_target(scenario, kind->kind, id);
    if (index == no_index)
        throw ScenarioError(origin.file, origin.line, "target", target,
                            std::string("the id of a ") + kind->name + " defined in the scenario");
    const ParameterSpec* spec = nullptr;
    for (const auto& s : specs)
        if (s.kind == kind->kind && parameter == s.name) spec = &s;
    if (spec == nullptr)
        throw ScenarioError(origin.file, origin.line, "parameter", parameter,
                            std::string("a parameter of a ") + kind->name + ": " + parameters_of(kind->kind));
    auto number = parse_number(value);
    bool in_range = number && *number >= spec->low && (spec->high_open ? *number < spec->high : *number <= spec->high);
    if (!in_range || (spec->integer && std::floor(*number) != *number))
        throw ScenarioError(origin.file, origin.line, target + "." + parameter, value,
                            std::string(spec->expected) + (number ? "" : " (a finite number)"));
    return Assignment{kind->kind, index, spec->parameter, *number};
}

// The dates a notebook can read: pandas and xarray hold times as nanoseconds from 1970 in 64
// bits, 1677-09-21 to 2262-04-11; whole years inside that, so that every day of a run decodes.
constexpr const char* first_readable_date = "1678-01-01";
constexpr const char* last_readable_date = "2262-04-10";
constexpr const char* readable_dates = "the dates pandas and xarray can hold run from 1677-09-21 to 2262-04-11";

// YYYY-MM-DD naming a day of the proleptic Gregorian calendar (no 2019-02-30).
static bool is_date(const std::string& value) {
    if (value.size() != 10 || value[4] != '-' || value[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (value[i] < '0' || value[i] > '9') return false;
    const int year = std::stoi(value.substr(0, 4)), month = std::stoi(value.substr(5, 2)),
              day = std::stoi(value.substr(8, 2));
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    constexpr int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month >= 1 && month <= 12 && day >= 1 && day <= month_days[month - 1] + (month == 2 && leap ? 1 : 0);
}

void check_dates(const Scenario& s) {
    // Days from the civil date (proleptic Gregorian): the run's last day must be readable too.
    const auto& start = s.settings.start_date;
    const std::chrono::year_month_day first{std::chrono::year{std::stoi(start.substr(0, 4))},
                                            std::chrono::month{static_cast<unsigned>(std::stoi(start.substr(5, 2)))},
                                            std::chrono::day{static_cast<unsigned>(std::stoi(start.substr(8, 2)))}};
    const std::chrono::year_month_day last{std::chrono::sys_days{first} + std::chrono::days{s.settings.days - 1}};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(last.year()),
                  static_cast<unsigned>(last.month()), static_cast<unsigned>(last.day()));
    if (std::string(text) > last_readable_date)
        throw ScenarioError(s.inputs.empty() ? std::string("scenario") : s.inputs.front().path, 0, "days",
                            std::to_string(s.settings.days),
                            std::string("a run that ends by ") + last_readable_date + " (from " + start +
                                " it would end on " + text + "; " + readable_dates + ")");
}

bool is_setting_key(const std::string& key) { return key.find(':') == std::string::npos; }


void apply_setting(Settings& settings, const std::string& key, const std::string& value, const Origin& origin) {
    bool numeric = false;   // for numbers, say why 'nan', 'inf' or '1,5' is refused
    auto fail = [&](const std::string& expected) -> void {
        const bool parsed = numeric && parse_number(value).has_value();
        throw ScenarioError(origin.file, origin.line, key, value,
                            expected + (numeric && !parsed ? " (a finite number)" : ""));
    };
    if (key == "name") {
        settings.name = value;
        return;
    }
    if (key == "description") {
        settings.description = value;
        return;
    }
    if (key == "give_up_action") {
        if (value == "settle") settings.give_up_action = GiveUpAction::settle;
        else if (value == "return") settings.give_up_action = GiveUpAction::go_home;
        else fail("settle or return");
        return;
    }
    if (key == "start_date") {
        if (!is_date(value)) fail("a date YYYY-MM-DD, like 2019-01-01");
        if (value < first_readable_date)
            fail(std::string("a date from ") + first_readable_date + " on (" + readable_dates + ")");
        settings.start_date = value;
        return;
    }
    if (key == "output_by_group") {
        if (value == "true" || value == "yes" || value == "1") settings.output_by_group = true;
        else if (value == "false" || value == "no" || value == "0") settings.output_by_group = false;
        else fail("true or false");
        return;
    }
    auto number = parse_number(value);
    numeric = true;
    auto whole = [&](double low, const char* expected, double high = 1e15) {
        if (!number || *number < low || std::floor(*number) != *number || *number > high) fail(expected);
        return *number;
    };
    if (key == "days") {
        // Day numbers are stored in 16 bits per agent (creation day): 179 years at most.
        if (!number || *number > 65535) fail("whole days from 1 to 65535");
        settings.days = static_cast<int>(whole(1, "whole days from 1 to 65535"));
    } else if (key == "seed") settings.seed = static_cast<std::uint64_t>(whole(0, "a whole number >= 0"));
    else if (key == "max_attempts")
        settings.max_attempts = static_cast<int>(whole(1, "whole attempts from 1 to 2147483647", 2147483647));
    else if (key == "give_up_days")
        settings.give_up_days = static_cast<int>(whole(1, "whole days from 1 to 2147483647", 2147483647));
    else if (key == "journey_sample") {
        if (!number || *number < 0 || *number > 1) fail("a share from 0 to 1");
        settings.journey_sample = *number;
    } else if (key == "information_lag_days") {
        if (!number || *number < 1) fail("days >= 1");
        settings.information_lag_days = *number;
    } else if (key.rfind("behaviour.", 0) == 0) {
        const BehaviourKey* k = find_behaviour_key(key.substr(std::string("behaviour.").size()));
        if (k == nullptr) {
            std::string names;
            for (const BehaviourKey& b : behaviour_keys) names += std::string(names.empty() ? "" : ", ") + b.name;
            throw ScenarioError(origin.file, origin.line, "key", key, "behaviour.KEY with KEY one of " + names);
        }
        if (!number || *number < k->low || *number > k->high) fail(k->expected);
        settings.behaviour.*k->member = *number;
    } else if (key.rfind("speed.", 0) == 0) {
        std::string mode = key.substr(6);
        int m = mode == "land" ? 0 : mode == "sea" ? 1 : mode == "air" ? 2 : -1;
        if (m < 0) throw ScenarioError(origin.file, origin.line, "key", key, "speed.land, speed.sea or speed.air");
        if (!number || *number <= 0) fail("km per day > 0");
        settings.speed_km_per_day[static_cast<std::size_t>(m)] = *number;
    } else {
        throw ScenarioError(origin.file, origin.line, "key", key,
                            "a setting (name, description, start_date, days, seed, max_attempts, "
                            "give_up_days, give_up_action, information_lag_days, speed.MODE, behaviour.KEY, "
                            "output_by_group, journey_sample) or "
                            "TARGET.PARAMETER such as border:strait.patrol");
    }
}

void apply_override(Scenario& scenario, const std::string& key, const std::string& value, const Origin& origin) {
    if (key.rfind("event:", 0) == 0) {   // event:ID.value, or event:N.value: the N-th event by day
        const auto dot = key.rfind('.');
        const std::string name = key.substr(6, dot == std::string::npos ? std::string::npos : dot - 6);
        const auto n = parse_number(name);
        Event* event = nullptr;
        for (Event& e : scenario.events)
            if (e.id == name) event = &e;
        if (!event && n && *n >= 1 && *n <= static_cast<double>(scenario.events.size()) && std::floor(*n) == *n)
            event = &scenario.events[static_cast<std::size_t>(*n) - 1];
        if (dot == std::string::npos || key.substr(dot + 1) != "value" || !event)
            throw ScenarioError(origin.file, origin.line, "key", key,
                                "event:ID.value with the id of an event (events.csv's id column, or FILE:LINE), "
                                "or event:N.value with N from 1 to " +
                                    std::to_string(scenario.events.size()) + " (migsim validate lists the events)");
        event->change = resolve_assignment(scenario, target_name(scenario, event->change),
                                           to_string(event->change.parameter), value, origin);
        return;
    }
    if (key.rfind("flee.", 0) == 0) {
        if (scenario.rules != Rules::flee)
            throw ScenarioError(origin.file, origin.line, "key", key, "flee.KEY only with 'rules: flee'");
        apply_flee_setting(scenario.flee, key.substr(5), value, origin);
        return;
    }
    if (is_setting_key(key)) {
        apply_setting(scenario.settings, key, value, origin);
        return;
    }
    auto dot = key.rfind('.');
    if (dot == std::string::npos)
        throw ScenarioError(origin.file, origin.line, "key", key, "TARGET.PARAMETER such as border:strait.patrol");
    const Assignment change = resolve_assignment(scenario, key.substr(0, dot), key.substr(dot + 1), value, origin);
    apply(scenario, change);
    scenario.overrides.push_back(
        {change, origin.line > 0 ? origin.file + ":" + std::to_string(origin.line) : origin.file});
}

}   // namespace migsim::detail

namespace migsim {

const char* to_string(Parameter parameter) {
    for (const auto& spec : detail::specs)
        if (spec.parameter == parameter) return spec.name;
    return "?";
}

const char* to_string(HarmKind kind) {
    static constexpr const char* names[] = {"abduction", "trafficking", "violence", "detention"};
    return names[static_cast<std::size_t>(kind)];
}

const char* to_string(TargetKind kind) {
    for (const auto& k : detail::kind_names)
        if (k.kind == kind) return k.name;
    return "?";
}

namespace {

// Calls `use` with the field that `c` names (a double, an int, an int64 or a bool), in the
// scenario `s` (const or not): the one list of what each parameter is.
template <class S, class Use>
void with_field(S& s, const Assignment& c, Use&& use) {
    const auto i = static_cast<std::size_t>(c.index);
    switch (c.parameter) {
        case Parameter::patrol: return use(s.borders[i].patrol);
        case Parameter::detention_days: return use(s.borders[i].detention_days);
        case Parameter::death_risk: return use(s.links[i].death_risk);
        case Parameter::cost: return c.kind == TargetKind::link ? use(s.links[i].cost) : use(s.pathways[i].cost);
        case Parameter::price: return use(s.markets[i].price);
        case Parameter::capacity:
            return c.kind == TargetKind::market ? use(s.markets[i].capacity) : use(s.locations[i].capacity);
        case Parameter::evasion: return use(s.markets[i].evasion);
        case Parameter::safety: return use(s.markets[i].safety);
        case Parameter::risk_premium: return use(s.markets[i].risk_premium);
        case Parameter::protection: return use(s.markets[i].protection);
        case Parameter::quota: return use(s.pathways[i].quota);
        case Parameter::processing_days: return use(s.pathways[i].processing_days);
        case Parameter::wage: return use(s.locations[i].wage);
        case Parameter::tau: return use(s.profiles[i].tau);
        case Parameter::budget_median: return use(s.profiles[i].budget_median);
        case Parameter::budget_sigma: return use(s.profiles[i].budget_sigma);
        case Parameter::weight_time: return use(s.profiles[i].weights.time);
        case Parameter::weight_money: return use(s.profiles[i].weights.money);
        case Parameter::weight_interception: return use(s.profiles[i].weights.interception);
        case Parameter::weight_death: return use(s.profiles[i].weights.death);
        case Parameter::demand_factor: return use(s.profiles[i].demand_factor);
        case Parameter::open: return use(s.links[i].open);
        case Parameter::bribe: return use(s.links[i].bribe);
        case Parameter::bribe_interception: return use(s.links[i].bribe_interception);
        case Parameter::toll: return use(s.links[i].toll);
        case Parameter::daily_risk: return use(s.harms[i].daily_risk);
        case Parameter::harm_days: return use(s.harms[i].days);
        case Parameter::ransom: return use(s.harms[i].ransom);
        case Parameter::harm_death_risk: return use(s.harms[i].death_risk);
        case Parameter::exit_rate: return use(s.harms[i].exit_rate);
        case Parameter::return_share: return use(s.harms[i].return_share);
        case Parameter::conflict: return use(s.locations[i].conflict);
    }
}

// Sets the field that `c` names, in a Scenario or in DayParameters (whose records have the same
// names): a town in conflict is a conflict zone (Flee's rules).
template <class S>
void apply_to(S& s, const Assignment& c) {
    with_field(s, c, [&](auto& field) {
        using Field = std::remove_reference_t<decltype(field)>;
        if constexpr (std::is_same_v<Field, bool>) field = c.value != 0;
        else field = static_cast<Field>(c.value);
    });
    if (c.parameter == Parameter::conflict) {
        auto& l = s.locations[static_cast<std::size_t>(c.index)];
        if (l.kind == LocationKind::town || l.kind == LocationKind::conflict_zone)
            l.kind = c.value > 0 ? LocationKind::conflict_zone : LocationKind::town;
    }
}

template <class S>
double value_in(const S& s, const Assignment& c) {
    double value = 0;
    with_field(s, c, [&](const auto& field) { value = static_cast<double>(field); });
    return value;
}

}   // namespace

void apply(Scenario& s, const Assignment& c) { apply_to(s, c); }
double value_of(const Scenario& s, const Assignment& c) { return value_in(s, c); }
void apply(DayParameters& p, const Assignment& c) { apply_to(p, c); }
double value_of(const DayParameters& p, const Assignment& c) { return value_in(p, c); }

DayParameters::DayParameters(const Scenario& s) {
    borders.reserve(s.borders.size());
    for (const Border& b : s.borders) borders.push_back({b.patrol, b.detention_days});
    links.reserve(s.links.size());
    for (const Link& l : s.links)
        links.push_back({l.death_risk, l.cost, l.open, l.bribe, l.bribe_interception, l.toll});
    markets.reserve(s.markets.size());
    for (const Market& m : s.markets)
        markets.push_back({m.price, m.capacity, m.evasion, m.safety, m.risk_premium, m.protection});
    pathways.reserve(s.pathways.size());
    for (const Pathway& p : s.pathways) pathways.push_back({p.quota, p.processing_days, p.cost});
    locations.reserve(s.locations.size());
    for (const Location& l : s.locations) locations.push_back({l.wage, l.capacity, l.conflict, l.kind});
    profiles.reserve(s.profiles.size());
    for (const Profile& p : s.profiles)
        profiles.push_back({p.tau, p.budget_median, p.budget_sigma, p.weights, p.demand_factor});
    harms.reserve(s.harms.size());
    for (const Harm& h : s.harms)
        harms.push_back({h.daily_risk, h.days, h.ransom, h.death_risk, h.exit_rate, h.return_share});
}

std::int64_t DayParameters::memory_bytes(const Scenario& s) {
    const auto bytes = [](std::size_t rows, std::size_t size) { return static_cast<std::int64_t>(rows * size); };
    return static_cast<std::int64_t>(sizeof(DayParameters)) + bytes(s.borders.size(), sizeof(BorderValues)) +
           bytes(s.links.size(), sizeof(LinkValues)) + bytes(s.markets.size(), sizeof(MarketValues)) +
           bytes(s.pathways.size(), sizeof(PathwayValues)) + bytes(s.locations.size(), sizeof(LocationValues)) +
           bytes(s.profiles.size(), sizeof(ProfileValues)) + bytes(s.harms.size(), sizeof(HarmValues));
}

namespace {
bool same_parameter(const Assignment& a, const Assignment& b) {
    return a.kind == b.kind && a.index == b.index && a.parameter == b.parameter;
}
}   // namespace

PolicyTimeline policy_timeline(const Scenario& s) {
    std::vector<Assignment> named;   // each parameter once, in the order first met
    auto add = [&](const Assignment& a) {
        if (std::none_of(named.begin(), named.end(), [&](const Assignment& b) { return same_parameter(a, b); }))
            named.push_back(a);
    };
    for (const auto& o : s.overrides) add(o.change);
    for (const auto& e : s.events) add(e.change);
    PolicyTimeline out;
    for (const auto& a : named) out.keys.push_back(target_name(s, a) + "." + to_string(a.parameter));
    DayParameters now(s);
    std::size_t next = 0;
    for (int day = 0; day < s.settings.days; ++day) {
        for (; next < s.events.size() && s.events[next].day <= day; ++next) apply(now, s.events[next].change);
        auto& row = out.values.emplace_back();
        for (const auto& a : named) row.push_back(value_of(now, a));
    }
    return out;
}

std::vector<ReplacedOverride> replaced_overrides(const Scenario& s) {
    std::vector<ReplacedOverride> out;
    for (const auto& o : s.overrides)
        for (const auto& e : s.events)
            if (same_parameter(o.change, e.change) && e.change.value != o.change.value) {
                out.push_back({&o, &e});
                break;
            }
    return out;
}

std::string target_name(const Scenario& s, const Assignment& a) {
    std::string id;
    const auto i = static_cast<std::size_t>(a.index);
    switch (a.kind) {
        case TargetKind::border: id = s.borders[i].id; break;
        case TargetKind::link: id = s.links[i].id; break;
        case TargetKind::market: id = s.markets[i].id; break;
        case TargetKind::pathway: id = s.pathways[i].id; break;
        case TargetKind::location: id = s.locations[i].id; break;
        case TargetKind::profile: id = s.profiles[i].id; break;
        case TargetKind::harm: id = s.harms[i].id; break;
    }
    return std::string(to_string(a.kind)) + ":" + id;
}

}   // namespace migsim

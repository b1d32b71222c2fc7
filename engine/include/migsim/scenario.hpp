// A scenario: the route network, the policy parameters, the migrant profiles and the demand.
// Parsed and validated completely by load_scenario(), then immutable: a Simulation shares it
// and keeps the few parameters that the policy timeline changes apart (DayParameters).
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace migsim {

// origin..destination: migsim's own (logit) rules. town, conflict_zone, camp: Flee's rules
// (`rules: flee`); a town becomes a conflict zone while its conflict intensity is above 0.
enum class LocationKind : std::uint8_t { origin, transit, coast, destination, town, conflict_zone, camp };
enum class Rules : std::uint8_t { logit, flee };
enum class Mode : std::uint8_t { land, sea, air };
enum class GiveUpAction : std::uint8_t { settle, go_home };

inline constexpr int no_index = -1;

struct Location {
    std::string id, name, country;
    double lat = 0, lon = 0;   // degrees
    LocationKind kind = LocationKind::transit;
    std::int64_t capacity = 0;     // agents present; 0 = unlimited
    double wage = 0;               // money per day earned while waiting here
    std::int64_t population = 0;   // residents (Flee rules: weighs where the displaced come from)
    double conflict = 0;           // conflict intensity (Flee rules), >= 0; 0 = no conflict
};

struct Link {
    std::string id;
    int from = no_index, to = no_index;   // location indices
    double distance_km = 0;
    Mode mode = Mode::land;
    double cost = 0;                 // fare without a smuggler (money)
    int border = no_index;           // border index, or no_index
    double death_risk = 0;           // per attempt, before market safety
    bool alone = false;              // irregular attempt possible without a smuggler
    int market = no_index;           // derived: the market selling this link, if any
    bool open = true;                // closed links cannot be entered (Flee's closures)
    double bribe = 0;                // money to officials per crossing, paid by those who can
    double bribe_interception = 1;   // interception factor for an unassisted crosser who paid
    double toll = 0;                 // money to armed groups per traversal (what one has, at most)
};

struct Border {
    std::string id, name;
    double patrol = 0;          // interception probability of an unassisted attempt
    int return_to = no_index;   // location index; no_index = the link's `from`
    int detention_days = 0;
};

struct Market {
    std::string id, name;
    std::vector<int> links;      // one link: one-border market; several: a package
    double price = 0;            // money per seat, before the risk premium
    std::int64_t capacity = 0;   // seats per day
    double evasion = 0;          // interception = patrol * (1 - evasion)
    double safety = 1;           // multiplies the link's death risk
    double risk_premium = 0;     // price * (1 + risk_premium * patrol)
    double protection = 0;       // paid by the smuggler to armed groups per passenger set out
};

struct Pathway {
    std::string id, name;
    std::vector<int> eligible;   // profile indices
    std::vector<int> groups;     // group indices that may apply; empty: every group
    std::vector<int> from;       // location indices; empty = anywhere
    int to = no_index;           // destination location index
    std::int64_t quota = 0;      // admissions per period
    int period_days = 30;
    int processing_days = 0;
    double cost = 0;
    int open_day = 0, close_day = 0;   // applications on open_day <= day < close_day
};


// Harm at a place (docs/HARM.md): a daily risk for agents waiting there.
enum class HarmKind : std::uint8_t {
    abduction,     // held `days` for ransom (money taken, up to `ransom`), `death_risk` a day while held
    trafficking,   // out of the flow (status trafficked) until it gets out: `exit_rate` a day
    violence,      // counted, nothing else changes
    detention,   // held by the State `days`, then released there or, with `return_share`, sent to `return_to` (home if none)
};
inline constexpr int harm_kinds = 4;

struct Harm {
    std::string id;
    int location = no_index;
    HarmKind kind = HarmKind::violence;
    int group = no_index;   // only this group; no_index: every group without a row of its own
    double daily_risk = 0;
    int days = 0;
    double ransom = 0;
    double death_risk = 0;   // per day held
    double exit_rate = 0;    // per day trafficked
    double return_share = 0;
    int return_to = no_index;   // location; no_index: home (the journey ends)
};

struct RouteWeights {
    double time = 1;           // per day
    double money = 0;          // per unit of money
    double interception = 0;   // per unit of interception probability
    double death = 0;          // per unit of death probability
};

// Demographic groups (sex x age): agents carry one; harms, pathways and route choice may
// depend on it.
struct Group {
    std::string id;
    std::string sex;   // female | male
    std::string age;   // child | adult
    // Multiply the route weights of every profile for this group's members (women weighing the
    // risk of death more, say); all 1: the profile's weights unchanged.
    RouteWeights weight_factors{1, 1, 1, 1};
};

struct Profile {
    std::string id;
    double budget_median = 0, budget_sigma = 0;   // lognormal money at departure
    // Multiplies the counts of this profile's demand rows: a row of `count` creates
    // round(count * demand_factor) over its spread_days (1: the count as is).
    double demand_factor = 1;
    RouteWeights weights;
    double tau = 1;                     // logit scale, in generalised-cost units
    std::vector<int> destinations;      // location indices
    std::vector<int> visa_free;         // border indices crossed regularly
    std::vector<double> group_shares;   // per group, summing to 1 (empty: no groups)
};

// The agents a demand row's `count` stands for under a profile's demand_factor:
// round(count x factor), half away from zero; a factor of exactly 1 leaves the count as is.
[[nodiscard]] inline std::int64_t demand_count(std::int64_t count, double factor) {
    if (factor == 1) return count;
    return std::llround(static_cast<double>(count) * factor);
}

struct DemandRow {
    int day = 0, origin = no_index, profile = no_index;
    std::int64_t count = 0;
    int spread_days = 1;
    std::string file;   // where the row was read, for messages
    long line = 0;
    int group = no_index;   // every agent of the row in this group; no_index: the profile's shares
};

// One scalar a policy can change: `border:strait.patrol`, `market:tangier.price`, ...
enum class TargetKind : std::uint8_t { border, link, market, pathway, location, profile, harm };
enum class Parameter : std::uint8_t {
    patrol,
    detention_days,
    death_risk,
    cost,
    price,
    capacity,
    evasion,
    safety,
    risk_premium,
    quota,
    processing_days,
    wage,
    tau,
    budget_median,
    budget_sigma,
    weight_time,
    weight_money,
    weight_interception,
    weight_death,
    open,
    conflict,
    bribe,
    bribe_interception,
    toll,
    protection,
    daily_risk,
    harm_days,
    ransom,
    harm_death_risk,
    exit_rate,
    return_share,
    demand_factor
};

struct Assignment {
    TargetKind kind = TargetKind::border;
    int index = no_index;
    Parameter parameter = Parameter::patrol;
    double value = 0;
};

struct Event {
    int day = 0;
    Assignment change;
    std::string id;      // events.csv's `id`, or FILE:LINE (events.csv:12): `event:ID.value` names it
    std::string where;   // FILE:LINE, for messages
};

// A value given by --set or a variant's `set:` to a parameter that events may change later.
struct Override {
    Assignment change;
    std::string where;   // "--set border:strait.patrol=0.8", or FILE:LINE of a variant
};

// How agents plan, re-plan and give up (docs/BEHAVIOUR.md). Costs are in the route choice's
// generalised cost (the profile's weights); a difference of one logit scale `tau` multiplies a
// route's odds by e.
struct Behaviour {
    double switching_cost = 2;               // added to every route but the agent's plan when it re-plans
    double replan_threshold = 1;             // change in a route's perceived cost that makes its planners re-plan
    double retry_penalty = 2;                // added to a crossing per failure there the agent remembers
    double local_information_lag_days = 7;   // those waiting where a crossing starts learn its rates this fast
    double give_up_switch = 0;               // share of those giving up who try another route instead (once)
};

struct Settings {
    std::string name, description;
    std::string start_date = "2019-01-01";   // ISO date of day 0
    int days = 0;
    std::uint64_t seed = 1;
    std::array<double, 3> speed_km_per_day{200, 300, 5000};   // indexed by Mode
    double information_lag_days = 30;
    int max_attempts = 5;
    int give_up_days = 365;
    GiveUpAction give_up_action = GiveUpAction::settle;
    Behaviour behaviour;
    bool output_by_group = false;   // also write the people-counting series split by group
    // Share of agents whose whole journey is recorded (the `journeys` table, docs/JOURNEYS.md):
    // an agent is in the sample iff a draw on (seed, global id) falls below it. 0: none, no cost.
    double journey_sample = 0;
};

// Flee's rules (docs/FLEE.md): the settings of a Flee simsetting.yml under their Flee names,
// with Flee's defaults. Only read when `rules: flee`.
struct FleeSettings {
    double max_move_speed = 360;   // km per day
    double camp_movechance = 0.001, conflict_movechance = 1, default_movechance = 0.3;
    double foreign_weight = 1, camp_weight = 1, conflict_weight = 0.31622776601683794;   // 1/sqrt(10)
    int awareness_level = 1;   // links per candidate route (0: a random neighbour)
    double capacity_buffer = 0.9, capacity_scaling = 1;
    double softening = 10, weight_softening = 0, distance_power = 1, weight_power = 1;
    std::vector<double> conflict_spawn_decay;   // factor per interval since a conflict began; empty: 1
    int conflict_spawn_decay_interval = 30;
    int hasten = 1;   // populations, capacities and data divided by this
    // What fills a camp when Flee's capacity rule weighs it: the agents there at the start of
    // the day, or those plus the agents on links leading there (the intended rule, default).
    enum class Occupancy : std::uint8_t { present, present_and_incoming };
    Occupancy capacity_occupancy = Occupancy::present_and_incoming;
    // Where new agents come from: the daily rise of the camps' registrations (Flee's default),
    // or a number per conflict zone and day.
    enum class Spawning : std::uint8_t { registrations, conflict };
    Spawning spawning = Spawning::registrations;
    bool insert_day0 = true;             // registrations: day 0's camp counts start in the camps
    bool take_from_population = false;   // each agent spawned lowers its zone's population
    enum class SpawnMode : std::uint8_t { constant, pop_ratio, poisson };
    SpawnMode conflict_spawn_mode = SpawnMode::constant;
    double displaced_per_conflict_day = 0;
    std::string registrations;              // data_layout.csv, relative to scenario.yml
    std::string registration_corrections;   // optional
};

// UNHCR registrations of a Flee scenario's camps, per day of the run (migsim/flee.hpp).
struct CampSeries {
    std::string camp;                  // the location's name, as in data_layout.csv
    int location = no_index;           // its index
    std::vector<std::int64_t> daily;   // interpolated as Flee does, divided by hasten
    long line = 0;                     // its row in data_layout.csv, for messages
};

struct InputFile {
    std::string path;     // as given (relative to the working directory)
    std::string sha256;   // hex digest of the bytes read
};

struct Scenario {
    Settings settings;
    std::vector<Location> locations;
    std::vector<Link> links;
    std::vector<Border> borders;
    std::vector<Market> markets;
    std::vector<Pathway> pathways;
    std::vector<Profile> profiles;
    std::vector<DemandRow> demand;
    std::vector<Group> groups;   // empty: one implicit group
    std::vector<Harm> harms;
    std::vector<Event> events;         // sorted by day, stable in file order
    std::vector<Override> overrides;   // --set and set: of TARGET.PARAMETER keys, in order
    Rules rules = Rules::logit;
    FleeSettings flee;
    std::vector<CampSeries> registrations;      // Flee rules with registrations data
    std::vector<std::int64_t> spawns_per_day;   // Flee rules: new agents each day
    std::vector<InputFile> inputs;              // every file read, with its hash
    std::string resolved_text;                  // every input file and override, for provenance

    [[nodiscard]] int travel_days(const Link& link) const;
    // Agents the run creates at most: every demand row's count times the largest demand_factor
    // its profile gets over the run (as loaded, or set by an event), and Flee's spawns. What
    // sizes a run (agent ids, memory and disk estimates).
    [[nodiscard]] std::int64_t total_agents() const;
    // Per profile: the largest demand_factor it has over the run (its value as loaded and every
    // event's).
    [[nodiscard]] std::vector<double> largest_demand_factors() const;
    // Bytes a copy of this scenario holds on the heap and in itself: every table's rows, their
    // strings and lists, and resolved_text (all the input files' bytes), counted as a copy
    // allocates them, with the allocator's overhead. A run holds it once, whatever its
    // replicates (estimate_memory, migsim/run.hpp); a million demand rows take about 100 MB.
    [[nodiscard]] std::int64_t memory_bytes() const;
};

// Loads scenario.yml (or a folder holding one, or a variant that `extends:` another) and
// applies `overrides` ("key=value", as from --set) last. Throws ScenarioError on any problem.
// `max_memory` (bytes; 0: the memory available now, as --max-memory): tables whose parse would
// need more, judged from their sizes on disk (load_bytes_per_byte), are refused before any of
// them is read.
[[nodiscard]] Scenario load_scenario(const std::filesystem::path& path, const std::vector<std::string>& overrides = {},
                                     std::int64_t max_memory = 0);

// Memory the loader takes, at its peak, per byte of the tables it parses: every field of every
// row as a string while the rows are checked, and the rows, and the file's text. Measured peak
// resident memory: 17 for a million demand rows (21 MB on disk: 368 MB), 11 for a generated
// scenario of 65,000 places (8 MB: 99 MB); rows of one-letter ids could take up to 33.
inline constexpr std::int64_t load_bytes_per_byte = 20;

// Applies one change to a scenario (used by --set and a variant's set: while loading).
void apply(Scenario& scenario, const Assignment& change);
// The value the parameter that `change` names has in `scenario` now (its `value` ignored).
[[nodiscard]] double value_of(const Scenario& scenario, const Assignment& change);

// The parameters in force on a day: every field that an event can change (Parameter), one small
// record per row of the table it belongs to, in the same order, without ids or names. A
// Simulation starts from the scenario's values and applies each event to its own copy of these
// at the start of the event's day; the loaded Scenario itself never changes.
struct DayParameters {
    struct BorderValues {
        double patrol = 0;
        int detention_days = 0;
    };
    struct LinkValues {
        double death_risk = 0, cost = 0;
        bool open = true;
        double bribe = 0, bribe_interception = 1, toll = 0;
    };
    struct MarketValues {
        double price = 0;
        std::int64_t capacity = 0;
        double evasion = 0, safety = 1, risk_premium = 0, protection = 0;
    };
    struct PathwayValues {
        std::int64_t quota = 0;
        int processing_days = 0;
        double cost = 0;
    };
    struct LocationValues {
        double wage = 0;
        std::int64_t capacity = 0;
        double conflict = 0;
        LocationKind kind = LocationKind::transit;   // town or conflict_zone follow `conflict`
    };
    struct ProfileValues {
        double tau = 1, budget_median = 0, budget_sigma = 0;
        RouteWeights weights;
        double demand_factor = 1;
    };
    struct HarmValues {
        double daily_risk = 0;
        int days = 0;
        double ransom = 0, death_risk = 0, exit_rate = 0, return_share = 0;
    };
    std::vector<BorderValues> borders;
    std::vector<LinkValues> links;
    std::vector<MarketValues> markets;
    std::vector<PathwayValues> pathways;
    std::vector<LocationValues> locations;
    std::vector<ProfileValues> profiles;
    std::vector<HarmValues> harms;

    DayParameters() = default;
    explicit DayParameters(const Scenario& scenario);   // the values as loaded
    // Bytes these tables hold (the run's memory estimate).
    [[nodiscard]] static std::int64_t memory_bytes(const Scenario& scenario);
};
// Applies one change (an event, at the start of its day).
void apply(DayParameters& parameters, const Assignment& change);
// The value the parameter that `change` names has in `parameters` (its `value` ignored).
[[nodiscard]] double value_of(const DayParameters& parameters, const Assignment& change);

// The parameters that events change or overrides set, with each day's value (the events of day
// d apply at its start): what a run file keeps as `policy_value` (docs/SCENARIOS.md, "Events").
struct PolicyTimeline {
    std::vector<std::string> keys;             // TARGET.PARAMETER, e.g. border:strait.patrol
    std::vector<std::vector<double>> values;   // [day][key]
};
[[nodiscard]] PolicyTimeline policy_timeline(const Scenario& scenario);

// An override that an event replaces later in the run: said by validate and run, so that a
// value the user set is never undone silently.
struct ReplacedOverride {
    const Override* override;
    const Event* event;   // the first event that sets the same parameter to another value
};
[[nodiscard]] std::vector<ReplacedOverride> replaced_overrides(const Scenario& scenario);

// "border:strait", "market:tangier": the target a change applies to.
[[nodiscard]] std::string target_name(const Scenario& scenario, const Assignment& change);

[[nodiscard]] const char* to_string(LocationKind kind);
[[nodiscard]] const char* to_string(Mode mode);
[[nodiscard]] const char* to_string(Parameter parameter);
[[nodiscard]] const char* to_string(TargetKind kind);
[[nodiscard]] const char* to_string(HarmKind kind);

}   // namespace migsim

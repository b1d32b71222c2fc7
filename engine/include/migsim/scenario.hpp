// A scenario: the route network, the policy parameters, the migrant profiles and the demand.
// Parsed and validated completely by load_scenario(), then immutable: a Simulation copies the
// few parameters that the policy timeline changes.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace migsim {

enum class LocationKind : std::uint8_t { origin, transit, coast, destination };
enum class Mode : std::uint8_t { land, sea, air };
enum class GiveUpAction : std::uint8_t { settle, go_home };

inline constexpr int no_index = -1;

struct Location {
    std::string id, name, country;
    double lat = 0, lon = 0;     // degrees
    LocationKind kind = LocationKind::transit;
    std::int64_t capacity = 0;   // agents present; 0 = unlimited
    double wage = 0;             // money per day earned while waiting here
};

struct Link {
    std::string id;
    int from = no_index, to = no_index;   // location indices
    double distance_km = 0;
    Mode mode = Mode::land;
    double cost = 0;                      // fare without a smuggler (money)
    int border = no_index;                // border index, or no_index
    double death_risk = 0;                // per attempt, before market safety
    bool alone = false;                   // irregular attempt possible without a smuggler
    int market = no_index;                // derived: the market selling this link, if any
};

struct Border {
    std::string id, name;
    double patrol = 0;                    // interception probability of an unassisted attempt
    int return_to = no_index;             // location index; no_index = the link's `from`
    int detention_days = 0;
};

struct Market {
    std::string id, name;
    std::vector<int> links;               // one link: one-border market; several: a package
    double price = 0;                     // money per seat, before the risk premium
    std::int64_t capacity = 0;            // seats per day
    double evasion = 0;                   // interception = patrol * (1 - evasion)
    double safety = 1;                    // multiplies the link's death risk
    double risk_premium = 0;              // price * (1 + risk_premium * patrol)
};

struct Pathway {
    std::string id, name;
    std::vector<int> eligible;            // profile indices
    std::vector<int> from;                // location indices; empty = anywhere
    int to = no_index;                    // destination location index
    std::int64_t quota = 0;               // admissions per period
    int period_days = 30;
    int processing_days = 0;
    double cost = 0;
    int open_day = 0, close_day = 0;      // applications on open_day <= day < close_day
};

struct RouteWeights {
    double time = 1;            // per day
    double money = 0;           // per unit of money
    double interception = 0;    // per unit of interception probability
    double death = 0;           // per unit of death probability
};

struct Profile {
    std::string id;
    double budget_median = 0, budget_sigma = 0;   // lognormal money at departure
    RouteWeights weights;
    double tau = 1;                               // logit scale, in generalised-cost units
    std::vector<int> destinations;                // location indices
    std::vector<int> visa_free;                   // border indices crossed regularly
};

struct DemandRow {
    int day = 0, origin = no_index, profile = no_index;
    std::int64_t count = 0;
    int spread_days = 1;
    std::string file;   // where the row was read, for messages
    long line = 0;
};

// One scalar a policy can change: `border:strait.patrol`, `market:tangier.price`, ...
enum class TargetKind : std::uint8_t { border, link, market, pathway, location, profile };
enum class Parameter : std::uint8_t {
    patrol, detention_days, death_risk, cost, price, capacity, evasion, safety, risk_premium,
    quota, processing_days, wage, tau, budget_median, budget_sigma, weight_time, weight_money,
    weight_interception, weight_death
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
};

struct InputFile {
    std::string path;      // as given (relative to the working directory)
    std::string sha256;    // hex digest of the bytes read
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
    std::vector<Event> events;            // sorted by day, stable in file order
    std::vector<InputFile> inputs;        // every file read, with its hash
    std::string resolved_text;            // every input file and override, for provenance

    [[nodiscard]] int travel_days(const Link& link) const;
    [[nodiscard]] std::int64_t total_agents() const;
};

// Loads scenario.yml (or a folder holding one, or a variant that `extends:` another) and
// applies `overrides` ("key=value", as from --set) last. Throws ScenarioError on any problem.
[[nodiscard]] Scenario load_scenario(const std::filesystem::path& path,
                                     const std::vector<std::string>& overrides = {});

// Applies one change to a scenario (used by events mid-run and by --set).
void apply(Scenario& scenario, const Assignment& change);

// "border:strait", "market:tangier": the target a change applies to.
[[nodiscard]] std::string target_name(const Scenario& scenario, const Assignment& change);

[[nodiscard]] const char* to_string(LocationKind kind);
[[nodiscard]] const char* to_string(Mode mode);
[[nodiscard]] const char* to_string(Parameter parameter);
[[nodiscard]] const char* to_string(TargetKind kind);

}  // namespace migsim

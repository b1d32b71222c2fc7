// import_flee: the shipped mali2012 import checked row by row, and a tiny hand-made FabFlee
// folder for closures, conflicts, settings and every refusal (messages name file, line, value).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "support/yaml_bombs.hpp"
#include "migsim/errors.hpp"
#include "migsim/flee_import.hpp"
#include "flee/import/flee_import.hpp"

using namespace migsim;
namespace fs = std::filesystem;
using Status = FleeImportItem::Status;

namespace {

const fs::path shipped = fs::path(MIGSIM_SOURCE_DIR) / "scenarios/flee-mali2012";
const fs::path mali_flee = shipped / "flee";   // Flee's own files, as copied by the import

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::vector<std::string> data_lines(const std::string& text) {   // without '#' comments and the header
    std::vector<std::string> out;
    for (const auto& l : lines(text))
        if (!l.empty() && l[0] != '#') out.push_back(l);
    if (!out.empty()) out.erase(out.begin());
    return out;
}

bool has_line(const std::string& text, const std::string& line) {
    auto all = lines(text);
    return std::find(all.begin(), all.end(), line) != all.end();
}

const FleeImportItem* item(const FleeImport& imported, const std::string& name) {
    for (const auto& i : imported.report)
        if (i.name == name) return &i;
    return nullptr;
}

std::string read(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// A FabFlee folder written file by file in a fresh temp dir: places A (conflict zone from day 0)
// and B (town) in country X, camps C and D in country Y; routes A-B, B-C, A-D.
class TinyFlee {
public:
    TinyFlee() {
        dir_ = fs::temp_directory_path() /
               ("migsim_flee_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "input_csv");
        fs::create_directories(dir_ / "source_data");
        write("input_csv/locations.csv", "#name,region,country,lat,lon,location_type,conflict_date,pop/cap\n"
                                         "A,r,X,1,1,conflict_zone,0,1000\n"
                                         "B,r,X,1,2,town,,500\n"
                                         "C,r,Y,2,2,camp,,300\n"
                                         "D,r,Y,2,1,camp,,200\n");
        write("input_csv/routes.csv", "#name1,name2,distance,forced_redirection\nA,B,100,0\nB,C,150,0\nA,D,300,0\n");
        write("input_csv/sim_period.csv", "StartDate,2020-01-01\nLength,20\n");
        write("source_data/data_layout.csv", "total,total.csv\nC,c.csv\nD,d.csv\n");
        for (const char* f : {"total.csv", "c.csv", "d.csv"}) write(std::string("source_data/") + f, "2020-01-01,10\n");
        write("simsetting.yml", "move_rules:\n  camp_weight: 2.0\n");
    }
    ~TinyFlee() { fs::remove_all(dir_); }
    void write(const std::string& file, const std::string& text) const { std::ofstream(dir_ / file) << text; }
    [[nodiscard]] const fs::path& dir() const { return dir_; }
    [[nodiscard]] FleeImport import() const { return import_flee(dir_); }
    [[nodiscard]] std::string error() const {
        try {
            (void)import_flee(dir_);
        } catch (const ScenarioError& e) {
            return e.what();
        }
        ADD_FAILURE() << "no ScenarioError";
        return "";
    }

private:
    fs::path dir_;
    static inline int counter_ = 0;
};

}   // namespace

// ---- the pieces ----------------------------------------------------------------------------

TEST(FleeImport, SnakeIds) {
    EXPECT_EQ(detail::snake_id("Fassala-Mbera"), "fassala_mbera");
    EXPECT_EQ(detail::snake_id("Bobo-Dioulasso"), "bobo_dioulasso");
    EXPECT_EQ(detail::snake_id("  Dire (north) -- 2 "), "dire_north_2");
    EXPECT_EQ(detail::snake_id("Ségou"), "s_gou");
    EXPECT_EQ(detail::snake_id("--"), "");
}

TEST(FleeImport, FleeCsvHeadersAndSpaces) {
    TinyFlee t;
    t.write("input_csv/conflicts.csv", "#Day, A , B\n0, 1, 0\n1, 1,  0.5\n");
    const auto c = detail::read_flee_csv((t.dir() / "input_csv/conflicts.csv").string(), true);
    EXPECT_EQ(c.header, (std::vector<std::string>{"Day", "A", "B"}));
    ASSERT_EQ(c.rows.size(), 2u);
    EXPECT_EQ(c.rows[1].fields[2], "0.5");
    EXPECT_EQ(c.rows[1].line, 3);
    t.write("input_csv/locations.csv", "\"#name\",\"country\"\n\"A\",\"X\"\n# a comment\n\"B\",\"X\"\n");
    const auto l = detail::read_flee_csv((t.dir() / "input_csv/locations.csv").string());
    EXPECT_EQ(l.header, (std::vector<std::string>{"name", "country"}));
    ASSERT_EQ(l.rows.size(), 2u);
    EXPECT_EQ(l.rows[1].line, 4);
    EXPECT_EQ(detail::format_number(200.0), "200");
    EXPECT_EQ(detail::format_number(0.001), "0.001");
}

// ---- mali2012 ------------------------------------------------------------------------------

TEST(FleeImport, Mali2012Golden) {
    FleeImportOptions options;
    options.hasten = 1;
    const FleeImport m = import_flee(mali_flee, options);
    EXPECT_EQ(m.locations, 23);
    EXPECT_EQ(m.routes, 35);
    EXPECT_EQ(m.links, 70);
    EXPECT_EQ(m.days, 300);
    EXPECT_EQ(m.start_date, "2012-02-29");
    EXPECT_EQ(data_lines(m.locations_csv).size(), 23u);
    EXPECT_EQ(data_lines(m.links_csv).size(), 70u);

    EXPECT_TRUE(has_line(m.locations_csv, "id,name,country,lat,lon,kind,population,capacity,conflict"));
    EXPECT_TRUE(has_line(m.locations_csv, "fassala_mbera,Fassala-Mbera,Mauritania,15.639012,-5.751422,camp,0,75882,0"));
    EXPECT_TRUE(has_line(m.locations_csv, "kidal,Kidal,Mali,18.444305,1.401523,conflict_zone,25617,,1"));
    EXPECT_TRUE(has_line(m.locations_csv, "bamako,Bamako,Mali,12.6494,-8.0005,town,1809106,,0"));
    EXPECT_TRUE(has_line(m.locations_csv, "mopti,Mopti,Mali,14.4877,-4.1887,town,148456,,0"));
    EXPECT_TRUE(has_line(m.links_csv, "lere__fassala_mbera,lere,fassala_mbera,98,land,0"));
    EXPECT_TRUE(has_line(m.links_csv, "fassala_mbera__lere,fassala_mbera,lere,98,land,0"));
    int conflict_zones = 0;
    for (const auto& l : data_lines(m.locations_csv)) conflict_zones += l.find(",conflict_zone,") != std::string::npos;
    EXPECT_EQ(conflict_zones, 3);   // Kidal, Timbuktu, Niafounke

    // Closures: every Mali-Burkina_Faso and Mali-Niger link, both ways; Mauritania stays open.
    EXPECT_EQ(m.closure_events, 32);
    for (const char* link :
         {"douentza__mentao", "mentao__douentza", "mopti__mentao", "mentao__mopti", "mopti__bobo_dioulasso",
          "bobo_dioulasso__mopti", "segou__bobo_dioulasso", "bobo_dioulasso__segou"}) {
        EXPECT_TRUE(has_line(m.events_csv, "0,link:" + std::string(link) + ",open,0")) << link;
        EXPECT_TRUE(has_line(m.events_csv, "22,link:" + std::string(link) + ",open,1")) << link;
    }
    for (const char* link :
         {"menaka__abala", "abala__menaka", "menaka__mangaize", "mangaize__menaka", "ansongo__tabareybarey",
          "tabareybarey__ansongo", "menaka__tabareybarey", "tabareybarey__menaka"}) {
        EXPECT_TRUE(has_line(m.events_csv, "0,link:" + std::string(link) + ",open,0")) << link;
        EXPECT_TRUE(has_line(m.events_csv, "33,link:" + std::string(link) + ",open,1")) << link;
    }
    EXPECT_EQ(m.events_csv.find("fassala_mbera"), std::string::npos);
    EXPECT_EQ(m.events_csv.find("mentao__bobo_dioulasso"), std::string::npos);   // inside Burkina Faso

    // Conflict starts after day 0.
    EXPECT_EQ(m.conflict_events, 9);
    for (const char* start :
         {"1,location:menaka", "2,location:tenenkou", "13,location:dire", "23,location:gao", "30,location:bourem",
          "30,location:ansongo", "163,location:bamako", "185,location:douentza", "273,location:lere"})
        EXPECT_TRUE(has_line(m.events_csv, std::string(start) + ",conflict,1")) << start;
    // Sorted by day.
    int last = 0;
    for (const auto& l : data_lines(m.events_csv)) {
        const int day = std::stoi(l.substr(0, l.find(',')));
        EXPECT_GE(day, last) << l;
        last = day;
    }

    // The settings block.
    for (const char* line :
         {"rules: flee", "  hasten: 1", "  camp_weight: 5", "  conflict_weight: 0.25", "  capacity_buffer: 0.75",
          "  max_move_speed: 200", "  softening: 10", "  conflict_spawn_decay: [1, 1, 1, 0.5, 0.1]",
          "  registrations: flee/source_data/data_layout.csv",
          "  registration_corrections: flee/input_csv/registration_corrections.csv"}) {
        bool found = false;
        for (const auto& l : lines(m.scenario_yml)) found = found || l.rfind(line, 0) == 0;
        EXPECT_TRUE(found) << line << "\n" << m.scenario_yml;
    }

    // The report.
    const auto* hasten = item(m, "optimisations.hasten");
    ASSERT_NE(hasten, nullptr);
    EXPECT_EQ(hasten->value, "10");
    EXPECT_EQ(hasten->status, Status::supported);
    EXPECT_NE(hasten->reason.find("replaced by 1"), std::string::npos);
    for (const char* f : {"input_csv/demographics_age.csv", "input_csv/demographics_gender.csv",
                          "input_csv/demographics_ethnicity.csv"}) {
        const auto* d = item(m, f);
        ASSERT_NE(d, nullptr) << f;
        EXPECT_EQ(d->status, Status::inert);
        EXPECT_NE(d->reason.find("no effect under these settings"), std::string::npos);
    }
    const auto* ipc = item(m, "input_csv/locations.csv column IPC");
    ASSERT_NE(ipc, nullptr);
    EXPECT_EQ(ipc->status, Status::ignored);
    ASSERT_NE(item(m, "source_data/bf-goudoubo.csv"), nullptr);
    EXPECT_EQ(item(m, "source_data/bf-goudoubo.csv")->status, Status::ignored);
    EXPECT_EQ(item(m, "source_data/bf-bobo.csv")->status, Status::supported);
    EXPECT_EQ(item(m, "move_rules.avoid_short_stints")->status, Status::inert);
    EXPECT_EQ(item(m, "move_rules.max_walk_speed")->status, Status::inert);
    EXPECT_EQ(item(m, "log_levels")->status, Status::inert);
    EXPECT_EQ(m.count(Status::unsupported), 0u);

    // Without --hasten, Flee's own value stays.
    EXPECT_NE(import_flee(mali_flee).scenario_yml.find("\n  hasten: 10 "), std::string::npos);
}

// The shipped scenario is what the importer writes today (regenerate it otherwise: its README).
TEST(FleeImport, ShippedMali2012IsUpToDate) {
    FleeImportOptions options;
    options.hasten = 1;
    options.folder = "mali2012";
    const FleeImport m = import_flee(mali_flee, options);
    EXPECT_EQ(data_lines(read(shipped / "locations.csv")), data_lines(m.locations_csv));
    EXPECT_EQ(data_lines(read(shipped / "links.csv")), data_lines(m.links_csv));
    EXPECT_EQ(data_lines(read(shipped / "events.csv")), data_lines(m.events_csv));
    EXPECT_EQ(data_lines(read(shipped / "scenario.yml")), data_lines(m.scenario_yml));
}

// ---- a tiny folder -------------------------------------------------------------------------

TEST(FleeImport, LinkAndLocationClosures) {
    TinyFlee t;
    t.write("input_csv/closures.csv", "#closure_type,name1,name2,closure_start,closure_end\n"
                                      "location,B,,2,5\n"
                                      "link,A,D,1,-1\n");
    const FleeImport m = t.import();
    EXPECT_EQ(data_lines(m.events_csv),
              (std::vector<std::string>{"1,link:a__d,open,0", "1,link:d__a,open,0", "2,link:a__b,open,0",
                                        "2,link:b__a,open,0", "2,link:b__c,open,0", "2,link:c__b,open,0",
                                        "5,link:a__b,open,1", "5,link:b__a,open,1", "5,link:b__c,open,1",
                                        "5,link:c__b,open,1"}));
    const auto* link = item(m, "input_csv/closures.csv:3 link closure A-D");
    ASSERT_NE(link, nullptr);
    EXPECT_EQ(link->status, Status::supported);
    EXPECT_NE(link->reason.find("closes nothing"), std::string::npos);
    EXPECT_NE(link->reason.find("never reopened"), std::string::npos);
}

TEST(FleeImport, OverlappingClosuresCloseTheUnionAndLateEventsAreDropped) {
    TinyFlee t;
    t.write("input_csv/closures.csv", "#closure_type,name1,name2,closure_start,closure_end\n"
                                      "country,X,Y,0,4\n"
                                      "link,B,C,3,30\n"
                                      "camp,C,,1,2\n"
                                      "location,A,,25,27\n");
    const FleeImport m = t.import();
    EXPECT_EQ(data_lines(m.events_csv),
              (std::vector<std::string>{"0,link:b__c,open,0", "0,link:c__b,open,0", "0,link:a__d,open,0",
                                        "0,link:d__a,open,0", "4,link:a__d,open,1", "4,link:d__a,open,1"}));
    const auto* late = item(m, "input_csv/closures.csv:3 link closure B-C");
    ASSERT_NE(late, nullptr);
    EXPECT_NE(late->reason.find("dropped"), std::string::npos);
    const auto* after = item(m, "input_csv/closures.csv:5 location closure A");
    ASSERT_NE(after, nullptr);
    EXPECT_EQ(after->status, Status::ignored);
    const auto* camp = item(m, "input_csv/closures.csv:4 camp closure C");
    ASSERT_NE(camp, nullptr);
    EXPECT_EQ(camp->status, Status::unsupported);
}

TEST(FleeImport, ConflictsCsvDrivesKindsAndEvents) {
    TinyFlee t;
    t.write("input_csv/conflicts.csv", "#Day, A, B\n0, 0, 0\n1, 2, 0\n2, 2, 1\n3, 0, 1\n");
    const FleeImport m = t.import();
    EXPECT_TRUE(has_line(m.locations_csv, "a,A,X,1,1,town,1000,,0"));
    EXPECT_EQ(data_lines(m.events_csv), (std::vector<std::string>{"1,location:a,conflict,2", "2,location:b,conflict,1",
                                                                  "3,location:a,conflict,0"}));
    const auto* mismatch = item(m, "input_csv/locations.csv conflict_date of A");
    ASSERT_NE(mismatch, nullptr);
    EXPECT_EQ(mismatch->value, "0");
    EXPECT_NE(mismatch->reason.find("day 1"), std::string::npos);
    EXPECT_NE(item(m, "input_csv/conflicts.csv rows"), nullptr);   // 4 rows for 20 days
}

TEST(FleeImport, ConflictDatesWithoutConflictsCsv) {
    TinyFlee t;
    t.write("input_csv/locations.csv", "#name,region,country,lat,lon,location_type,conflict_date,pop/cap\n"
                                       "A,r,X,1,1,conflict_zone,7,1000\nB,r,X,1,2,conflict_zone,0,500\n"
                                       "C,r,Y,2,2,camp,,300\nD,r,Y,2,1,camp,,200\n");
    const FleeImport m = t.import();
    EXPECT_TRUE(has_line(m.locations_csv, "a,A,X,1,1,town,1000,,0"));
    EXPECT_TRUE(has_line(m.locations_csv, "b,B,X,1,2,conflict_zone,500,,1"));
    EXPECT_EQ(data_lines(m.events_csv), (std::vector<std::string>{"7,location:a,conflict,1"}));
}

TEST(FleeImport, SettingsReport) {
    TinyFlee t;
    t.write("simsetting.yml", "move_rules:\n  avoid_short_stints: True\n  softening: 5\n  movechance_pop_scale_factor: "
                              "0.5\n"
                              "  no_such_rule: 3\nspawn_rules:\n  conflict_driven_spawning:\n    spawn_mode: "
                              "pop_ratio\n"
                              "optimisations:\n  hasten: 2\n");
    const FleeImport m = t.import();
    EXPECT_EQ(item(m, "move_rules.avoid_short_stints")->status, Status::unsupported);
    EXPECT_EQ(item(m, "move_rules.avoid_short_stints")->value, "true");
    EXPECT_EQ(item(m, "move_rules.movechance_pop_scale_factor")->status, Status::unsupported);
    EXPECT_EQ(item(m, "move_rules.softening")->status, Status::supported);
    const auto* unknown = item(m, "move_rules.no_such_rule");
    ASSERT_NE(unknown, nullptr);
    EXPECT_EQ(unknown->status, Status::ignored);
    EXPECT_NE(unknown->reason.find("unknown key"), std::string::npos);
    EXPECT_EQ(m.count(Status::unsupported), 2u);
    for (const char* line : {"  softening: 5 ", "  spawning: conflict ", "  conflict_spawn_mode: pop_ratio ",
                             "  displaced_per_conflict_day: 0.01 ", "  hasten: 2 "})
        EXPECT_NE(m.scenario_yml.find(line), std::string::npos) << line << "\n" << m.scenario_yml;
}

// ---- refusals ------------------------------------------------------------------------------

TEST(FleeImport, UnsupportedLocationTypeIsRefused) {
    TinyFlee t;
    t.write("input_csv/locations.csv", "#name,region,country,lat,lon,location_type,conflict_date,pop/cap\n"
                                       "A,r,X,1,1,conflict_zone,0,1000\nB,r,X,1,2,idpcamp,,500\n");
    const std::string e = t.error();
    EXPECT_NE(e.find("locations.csv:3"), std::string::npos) << e;
    EXPECT_NE(e.find("location_type"), std::string::npos) << e;
    EXPECT_NE(e.find("'idpcamp'"), std::string::npos) << e;
    EXPECT_NE(e.find("town, conflict_zone or camp"), std::string::npos) << e;
}

TEST(FleeImport, NameCollisionIsRefused) {
    TinyFlee t;
    t.write("input_csv/locations.csv", "#name,region,country,lat,lon,location_type,conflict_date,pop/cap\n"
                                       "Bobo-Dioulasso,r,X,1,1,conflict_zone,0,1000\nBobo "
                                       "Dioulasso,r,X,1,2,town,,500\n");
    const std::string e = t.error();
    EXPECT_NE(e.find("locations.csv:3"), std::string::npos) << e;
    EXPECT_NE(e.find("'Bobo Dioulasso' and 'Bobo-Dioulasso'"), std::string::npos) << e;
    EXPECT_NE(e.find("'bobo_dioulasso'"), std::string::npos) << e;
}

TEST(FleeImport, BadClosureRowsAreRefused) {
    TinyFlee t;
    t.write("input_csv/closures.csv", "#closure_type,name1,name2,closure_start,closure_end\ncountry,X,Y,5,3\n");
    std::string e = t.error();
    EXPECT_NE(e.find("closures.csv:2"), std::string::npos) << e;
    EXPECT_NE(e.find("closure_end"), std::string::npos) << e;
    EXPECT_NE(e.find("got '3'"), std::string::npos) << e;
    EXPECT_NE(e.find("a day after closure_start (5), or -1"), std::string::npos) << e;

    t.write("input_csv/closures.csv", "#closure_type,name1,name2,closure_start,closure_end\nborder,X,Y,0,3\n");
    e = t.error();
    EXPECT_NE(e.find("closure_type"), std::string::npos) << e;
    EXPECT_NE(e.find("'border'"), std::string::npos) << e;

    t.write("input_csv/closures.csv", "#closure_type,name1,name2,closure_start,closure_end\nlink,B,D,0,3\n");
    e = t.error();
    EXPECT_NE(e.find("joined to B by a route"), std::string::npos) << e;

    t.write("input_csv/closures.csv", "#closure_type,name1,name2,closure_start,closure_end\ncountry,X,Z,soon,3\n");
    e = t.error();
    EXPECT_NE(e.find("closure_start"), std::string::npos) << e;
    EXPECT_NE(e.find("'soon'"), std::string::npos) << e;
}

TEST(FleeImport, OtherRefusals) {
    {
        TinyFlee t;
        t.write("input_csv/routes.csv", "#name1,name2,distance\nA,B,100\nB,Q,150\n");
        const std::string e = t.error();
        EXPECT_NE(e.find("routes.csv:3"), std::string::npos) << e;
        EXPECT_NE(e.find("'Q'"), std::string::npos) << e;
    }
    {
        TinyFlee t;
        t.write("input_csv/conflicts.csv", "#Day,A,Nowhere\n0,1,0\n");
        const std::string e = t.error();
        EXPECT_NE(e.find("conflicts.csv:1"), std::string::npos) << e;
        EXPECT_NE(e.find("'Nowhere'"), std::string::npos) << e;
    }
    {
        TinyFlee t;
        t.write("simsetting.yml", "move_rules:\n  camp_weight: heavy\n");
        const std::string e = t.error();
        EXPECT_NE(e.find("simsetting.yml:2"), std::string::npos) << e;
        EXPECT_NE(e.find("move_rules.camp_weight"), std::string::npos) << e;
    }
    {
        TinyFlee t;
        fs::remove(t.dir() / "source_data/data_layout.csv");
        const std::string e = t.error();
        EXPECT_NE(e.find("data_layout.csv: missing"), std::string::npos) << e;
    }
}

// simsetting.yml as scenario.yml (loading_test.cpp): a key set twice, an alias inside the node it
// names (Flee's settings were echoed into the report by walking them: endless recursion), and
// aliases of aliases (the echo grew to gigabytes) are refused naming the file and line.
TEST(FleeImport, SettingsWithAKeySetTwiceOrRecursiveAliasesAreRefused) {
    TinyFlee t;
    t.write("simsetting.yml", "move_rules:\n  camp_weight: 2.0\n  camp_weight: 3.0\n");
    std::string e = t.error();
    EXPECT_NE(e.find("simsetting.yml:3: move_rules: got 'camp_weight', expected each key once (it is already set on "
                     "line 2)"),
              std::string::npos)
        << e;

    t.write("simsetting.yml", "a: &a [*a]\n");   // an unknown key, whose value the report echoes
    e = t.error();
    EXPECT_NE(e.find("simsetting.yml:1: a[0]: an alias inside the node it names"), std::string::npos) << e;

    t.write("simsetting.yml", "move_rules:\n  camp_weight: &a [*a]\n");
    e = t.error();
    EXPECT_NE(e.find("simsetting.yml:2: move_rules.camp_weight[0]: an alias inside the node it names"),
              std::string::npos)
        << e;

    const std::string laughs = migsim::test::billion_laughs();
    t.write("simsetting.yml", laughs + "move_rules:\n  camp_weight: *l9\n");
    e = t.error();
    EXPECT_NE(e.find("simsetting.yml"), std::string::npos) << e;
    EXPECT_NE(e.find("aliases"), std::string::npos) << e;
}

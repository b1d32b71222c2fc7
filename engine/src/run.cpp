// Runs and sweeps. The simulations of a run (its replicates; in a sweep, a sample's
// replicates, or several samples' when they are spread over MPI ranks) advance in lockstep, a
// day at a time, side by side (each also parallel inside); after each day every simulation's
// row goes to the writer on rank 0 (which writes whole chunks, see output.hpp), and a run that
// is stopped flushes it, so an interrupted ensemble keeps every finished day of all.
#include "migsim/run.hpp"


#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <tuple>
#include <memory>
#include <sstream>

#include "migsim/errors.hpp"
#include "migsim/output.hpp"
#include "migsim/simulation.hpp"
#include "common/sha256.hpp"
#include "model/counters.hpp"
#include "parallel/day_exchange.hpp"
#include "parallel/threads.hpp"

namespace migsim {

namespace {

using clock = std::chrono::steady_clock;   // wall time only: never a seed

const Comm& world_of(const RunOptions& options) { return options.comm ? *options.comm : single_process(); }

int thread_count(const RunOptions& options) {
    return options.threads > 0 ? options.threads : detail::Threads::default_count();
}

std::vector<std::uint64_t> seeds_of(const Scenario& s, int replicates) {
    std::vector<std::uint64_t> seeds;
    for (int r = 0; r < replicates; ++r) seeds.push_back(s.settings.seed + static_cast<std::uint64_t>(r));
    return seeds;
}

// One simulation to step: replicate `replicate` of sweep sample `sample` (0 in a plain run).
struct Job {
    int sample = 0, replicate = 0;
    const Scenario* scenario = nullptr;
};

// Which of `jobs` this rank steps: all of them when agents are split over ranks (every rank
// holds a share of each), else every ranks-th from its own rank.
std::vector<std::size_t> jobs_here(const Comm& comm, Decomposition decompose, std::size_t jobs) {
    std::vector<std::size_t> mine;
    const bool all = decompose == Decomposition::agents || comm.size() == 1;
    const auto step = all ? 1 : static_cast<std::size_t>(comm.size());
    for (std::size_t j = all ? 0 : static_cast<std::size_t>(comm.rank()); j < jobs; j += step) mine.push_back(j);
    return mine;
}

// Every job's totals of the day, on rank 0 (the writer's rank); nothing on other ranks when
// the jobs are spread over ranks.
class DayCollector {
public:
    DayCollector(const Comm& comm, bool gathered, std::size_t jobs)
        : comm_(comm), gathered_(gathered), received_(gathered ? jobs : 0) {}

    std::vector<const DayTotals*> collect(const std::vector<std::unique_ptr<Simulation>>& sims) {
        std::vector<const DayTotals*> all;
        if (!gathered_) {
            for (const auto& sim : sims) all.push_back(&sim->today());
            return all;
        }
        bytes_.clear();
        for (const auto& sim : sims) detail::append_day(sim->today(), bytes_);
        const auto from = comm_.gather(bytes_);
        const std::size_t ranks = static_cast<std::size_t>(comm_.size());
        for (std::size_t r = 0; r < from.size(); ++r) {   // rank r sent jobs r, r+ranks, ...
            std::span<const std::byte> in(from[r]);
            for (std::size_t j = r; j < received_.size(); j += ranks) in = detail::read_day(in, received_[j]);
        }
        for (const auto& t : received_) all.push_back(&t);
        return all;
    }

private:
    const Comm& comm_;
    bool gathered_;
    std::vector<DayTotals> received_;
    std::vector<std::byte> bytes_;
};

// Every job's journey sample, whole, on rank 0 (empty elsewhere): from the ranks that hold a
// share of its agents, merged in id order (agent decomposition), or from the rank that ran it
// (replicates spread over ranks). The same table on any rank layout: the sample is drawn per id.
std::vector<std::vector<Journey>> gather_journeys(const Comm& comm, bool split_agents, std::size_t jobs,
                                                  const std::vector<std::unique_ptr<Simulation>>& sims) {
    std::vector<std::vector<Journey>> all;
    if (comm.size() == 1) {
        for (const auto& sim : sims) all.push_back(sim->journeys());
        return all;
    }
    std::vector<std::byte> bytes;
    detail::ByteWriter out(bytes);
    for (const auto& sim : sims) detail::put_journeys(out, sim->journeys());
    const auto from = comm.gather(bytes);
    if (comm.rank() != 0) return all;
    all.resize(jobs);
    const auto ranks = static_cast<std::size_t>(comm.size());
    for (std::size_t r = 0; r < from.size(); ++r) {
        detail::ByteReader in(from[r], "the journey sample from rank " + std::to_string(r));
        for (std::size_t j = split_agents ? 0 : r; j < jobs; j += split_agents ? 1 : ranks) {
            std::vector<Journey> part;
            detail::take_journeys(in, part);
            all[j].insert(all[j].end(), part.begin(), part.end());
        }
    }
    if (split_agents)
        for (auto& journeys : all)
            std::sort(journeys.begin(), journeys.end(), [](const Journey& a, const Journey& b) { return a.id < b.id; });
    return all;
}

// The journey sample (not in sweeps: check_journeys) handed to the writer on rank 0: when the
// run ends, or as it stands after the last finished day when it is stopped.
void hand_over_journeys(const std::vector<Job>& jobs, const Comm& comm, bool split_agents,
                        const std::vector<std::unique_ptr<Simulation>>& sims, Hdf5Writer* writer) {
    const double sample = jobs.front().scenario->settings.journey_sample;
    if (sample <= 0) return;
    auto journeys = gather_journeys(comm, split_agents, jobs.size(), sims);
    if (writer != nullptr)
        for (std::size_t j = 0; j < journeys.size(); ++j)
            writer->write_journeys(jobs[j].replicate, sample, std::move(journeys[j]));
}

// Where a resumed run goes on from: the day and each job's state (none: day 0).
struct Checkpoint {
    int day = 0;
    std::vector<std::vector<std::byte>> states;
};

// Steps `jobs` (all of the same length) side by side through their days into `writer`
// (rank 0 only, null elsewhere). Returns false if stopped.
bool run_jobs(const std::vector<Job>& jobs, const RunOptions& options, Hdf5Writer* writer, int samples,
              RunResult& result, clock::time_point start, const Checkpoint& resume_from = {}) {
    const Comm& comm = world_of(options);
    const bool split_agents = options.decompose == Decomposition::agents && comm.size() > 1;
    std::vector<std::unique_ptr<Simulation>> sims;
    on_every_rank(comm, [&] {
        for (std::size_t j : jobs_here(comm, options.decompose, jobs.size())) {
            // Every replicate shares the run's scenario (it outlives them: no copy, no owner).
            const Scenario& s = *jobs[j].scenario;
            sims.push_back(
                std::make_unique<Simulation>(std::shared_ptr<const Scenario>(std::shared_ptr<const Scenario>(), &s),
                                             s.settings.seed + static_cast<std::uint64_t>(jobs[j].replicate),
                                             thread_count(options), split_agents ? comm : single_process()));
        }
    });
    for (std::size_t k = 0; k < resume_from.states.size() && k < sims.size(); ++k) {
        try {
            sims[k]->restore_state(resume_from.states[k]);
        } catch (const std::runtime_error& e) {
            throw OutputError(options.output + ": its checkpoint cannot be restored (" + e.what() + "); run it again");
        }
        if (sims[k]->day() != resume_from.day)
            throw OutputError(options.output + ": its checkpoint says day " + std::to_string(resume_from.day) +
                              " but holds the state after day " + std::to_string(sims[k]->day()) + "; run it again");
    }
    DayCollector collector(comm, !split_agents && comm.size() > 1, jobs.size());
    // Jobs step side by side on at most --threads threads in all (each also parallel inside).
    detail::Jobs job_arena(thread_count(options));
    const int days = jobs.front().scenario->settings.days;
    std::int64_t agents = 0;
    result.days_completed = resume_from.day;
    for (int d = resume_from.day; d < days; ++d) {
        if (comm.any(options.stop && options.stop->load())) {
            result.agents += agents;
            hand_over_journeys(jobs, comm, split_agents, sims, writer);
            return false;
        }
        if (options.before_day) options.before_day(comm.rank(), d);   // a test hook: may throw
        if (split_agents) {   // every step is collective: one simulation at a time, in order
            for (auto& sim : sims) sim->step();
        } else {
            job_arena.each(static_cast<int>(sims.size()), [&](int k) { sims[static_cast<std::size_t>(k)]->step(); });
        }
        const std::vector<const DayTotals*> day = collector.collect(sims);
        if (comm.rank() != 0) continue;
        agents = 0;
        for (std::size_t j = 0; j < jobs.size(); ++j) {
            writer->write_day(jobs[j].sample, jobs[j].replicate, *day[j]);
            agents += day[j]->agents_created;
        }
        writer->day_done(d + 1);
        if (options.checkpoint_every > 0 && (d + 1) % options.checkpoint_every == 0 && d + 1 < days) {
            std::vector<std::vector<std::byte>> states;
            for (const auto& sim : sims) states.push_back(sim->save_state());
            writer->write_checkpoint(d + 1, states);
        }
        result.agent_days += static_cast<double>(agents);
        result.days_completed = d + 1;
        if (options.progress) {
            const double elapsed = std::chrono::duration<double>(clock::now() - start).count();
            const double done = static_cast<double>(result.samples_run * days + d + 1);
            const double total = static_cast<double>((samples - result.samples_skipped) * days);
            options.progress({d + 1, days, jobs.front().sample, samples, agents,
                              result.agent_days / std::max(elapsed, 1e-9), elapsed, elapsed / done * (total - done)});
        }
    }
    result.agents += agents;
    hand_over_journeys(jobs, comm, split_agents, sims, writer);
    return true;
}

// The journey sample is kept in memory (and in checkpoints) and written when the run ends or
// is stopped: it is refused, with what to do instead, where there is no table to write
// (docs/JOURNEYS.md).
void check_journeys(const Scenario& s, bool sweep) {
    if (s.settings.journey_sample <= 0) return;
    const std::string what = "--journeys (journey_sample=" + std::to_string(s.settings.journey_sample) + "): ";
    if (sweep)
        throw ScenarioError(what + "a sweep writes no journey table; run the sample you want with migsim run "
                                   "--journeys");
    if (s.rules == Rules::flee) throw ScenarioError(what + "the journey table is for migsim's own rules, not Flee's");
}

// The end of a run or a sweep: its time and this rank's traffic; rank 0 closes the file,
// complete, or flushed with every finished day when stopped.
void close_run(Hdf5Writer* writer, const Comm& comm, Comm::Traffic before, clock::time_point start, RunResult& result) {
    result.wall_seconds = std::chrono::duration<double>(clock::now() - start).count();
    result.traffic = {comm.traffic().collectives - before.collectives, comm.traffic().bytes - before.bytes};
    if (!writer) return;
    if (result.interrupted) writer->stop();
    else writer->finish(result.wall_seconds);
}

std::vector<Job> replicates_of(const Scenario& scenario, int sample, int replicates) {
    std::vector<Job> jobs;
    for (int r = 0; r < replicates; ++r) jobs.push_back({sample, r, &scenario});
    return jobs;
}

}   // namespace

namespace {
// Bytes of one replicate's day in the file, uncompressed (the Mediterranean: 4,944).
std::int64_t row_bytes(const Scenario& s) {
    return (static_cast<std::int64_t>(s.locations.size()) * 5 + static_cast<std::int64_t>(s.links.size()) * 2 +
            static_cast<std::int64_t>(s.borders.size()) * 5 + static_cast<std::int64_t>(s.markets.size()) * 4 +
            static_cast<std::int64_t>(s.pathways.size()) * 2 + static_cast<std::int64_t>(s.profiles.size()) * 5 + 9) *
           8;
}

// Refuses, before it starts, a run whose file cannot fit on its disk: the series compress
// about 1.8x (the Mediterranean), so a quarter of their raw size is a safe lower bound; two
// checkpoint slots are not compressed.
void check_disk_space(const Scenario& s, const RunOptions& options) {
    const std::filesystem::path folder = std::filesystem::absolute(options.output).parent_path();
    std::error_code error;
    const auto space = std::filesystem::space(folder, error);
    if (error) return;   // not knowable here: a full disk then stops the run cleanly
    const std::int64_t replicates = std::max(1, options.replicates);
    const std::int64_t need = row_bytes(s) * s.settings.days * replicates / 4 +
                              (options.checkpoint_every > 0 ? 2 * 20 * s.total_agents() * replicates : 0);
    if (static_cast<std::int64_t>(space.available) < need)
        throw OutputError(options.output + ": the disk holding it has " + std::to_string(space.available / 1000000) +
                          " MB free; the run needs at least " + std::to_string(need / 1000000 + 1) +
                          " MB (give -o on a disk with more room, or fewer replicates or days)");
}
}   // namespace

std::int64_t available_memory() {
    std::ifstream meminfo("/proc/meminfo");
    std::string key;
    std::int64_t kib = 0;
    std::string unit;
    while (meminfo >> key >> kib >> unit)
        if (key == "MemAvailable:") return kib * 1024;
    return 0;
}

std::int64_t estimate_memory(const Scenario& s, const RunOptions& options, int ranks) {
    // Each term was measured (peak resident memory, /usr/bin/time -v, and heaptrack for the
    // parts) on the toy with up to 4,000 replicates, a million demand rows, a generated
    // scenario of 65,000 places and the Mediterranean (docs/PERFORMANCE.md, "Memory").
    const std::int64_t replicates = std::max(1, options.replicates);
    const bool split = options.decompose == Decomposition::agents;
    // Simulations on this rank and the agents each holds (all, or a share when split).
    const std::int64_t sims = split ? replicates : (replicates + ranks - 1) / ranks;
    const std::int64_t agents = split ? s.total_agents() / ranks + 1 : s.total_agents();
    const std::int64_t threads = thread_count(options), days = s.settings.days;
    const auto N = static_cast<std::int64_t>(s.locations.size()), L = static_cast<std::int64_t>(s.links.size());
    const auto G = static_cast<std::int64_t>(s.profiles.size()), P = static_cast<std::int64_t>(s.pathways.size());
    const auto B = static_cast<std::int64_t>(s.borders.size()), M = static_cast<std::int64_t>(s.markets.size());
    const bool logit = s.rules == Rules::logit;
    // Groups counted apart (output_by_group), else 1.
    const std::int64_t apart =
        s.settings.output_by_group ? std::max<std::int64_t>(1, static_cast<std::int64_t>(s.groups.size())) : 1;

    // HDF5 caches up to 1 MiB of chunks for each dataset it writes or reads (its default), and
    // its metadata (25 MB in all for a Mediterranean run, 40 MB with two replicates).
    std::int64_t row = 8, widest = 1, summarised = 0, widest_summarised = 1;   // row: agents_created too
    std::int64_t caches = std::int64_t{8} << 20;
    auto cache = [&](std::int64_t x) {
        caches += std::min<std::int64_t>(std::int64_t{1} << 20, 2 * replicates * days * x * 8);
    };
    // The output's series: one value (8 bytes) per entity of each, a day of one replicate.
    for (const SeriesInfo& series : series_catalogue) {
        const auto x = static_cast<std::int64_t>(entity_count(s, series.entity));
        const bool by_group = apart > 1 && series.grouped;
        row += x * 8 * (by_group ? 1 + apart : 1);
        widest = std::max(widest, by_group ? x * apart : x);
        cache(x);
        if (by_group) cache(x * apart);
        if (series.summarised) {
            summarised += x;
            widest_summarised = std::max(widest_summarised, x);
        }
    }

    // The scenario: every table's rows and the text of every input file (Scenario::memory_bytes:
    // a million demand rows, 21 MB on disk, hold 105 MB). Loaded once and shared by every
    // simulation, each of which keeps only the parameters that events change (DayParameters)
    // and the hot tables flat (FlatScenario and route choice's link rows: 44 bytes a link).
    const std::int64_t scenario = s.memory_bytes();
    const auto H = static_cast<std::int64_t>(s.harms.size());
    const std::int64_t parameters = DayParameters::memory_bytes(s) + L * 44 + N + M + 4 * (B + P + H);
    // Loading it peaked at about load_bytes_per_byte times its files' size; freed before the
    // run, but for pages the freed rows share with what stays (17 MB after a million demand
    // rows whose parse peaked at 368 MB: a sixteenth of the load's estimate covers it).
    const auto loading = static_cast<std::int64_t>(s.resolved_text.size()) * load_bytes_per_byte;
    const std::int64_t leftovers = loading / 16;

    // One simulation. Agents: 29 bytes each (22.0 measured in a Mediterranean run of 948,283
    // before route plans added 7); a checkpoint copies their state once more while it is written.
    const std::int64_t per_agent = 29 + (options.checkpoint_every > 0 ? 27 : 0);
    // Route options per (place, profile), cost-to-go, link vectors (65,000 places and links, 4
    // profiles: 26 MB measured, 25 by this).
    const std::int64_t routes = (L + P + N) * G * 48 + N * G * 8 + L * 3 * 8 * 8;
    // Route plans (model/route_plans.hpp): each (place, profile) sees the routes that start at its
    // `horizon` nearest places, 44 bytes each with its alias slot (the routes are the crossings
    // of every link, the pathways and the destinations).
    const std::int64_t route_count = 2 * L + P + N;
    const std::int64_t seen =
        std::min<std::int64_t>(route_count, 64 * (route_count / std::max<std::int64_t>(N, 1) + 1));
    const std::int64_t plans = logit ? N * G * seen * 44 : 0;
    // migsim's rules: a package's next leg per (market, place), 4 bytes each (464 markets,
    // 65,000 places: 121 MB).
    const std::int64_t network = logit ? M * N * 4 : 0;
    // The day's counts (detail::CounterLayout, 8 bytes each): for every thread two sets per group
    // counted apart (today's, and the ended journeys'), and the totals (65,000 places: 13.5 MB a set).
    const std::int64_t counts = (2 * apart * threads + 1 + (apart > 1 ? apart : 0)) *
                                static_cast<std::int64_t>(detail::CounterLayout(s).total()) * 8;
    // The journey sample: about 170 bytes a sampled agent with its route, and a slot of 4 bytes
    // per agent; at the end each simulation's records are copied to the writer, which keeps them
    // until the table is written, column by column (another copy).
    const auto journeys = s.settings.journey_sample > 0
                              ? static_cast<std::int64_t>(s.settings.journey_sample * static_cast<double>(agents)) * 170
                              : 0;
    const std::int64_t journey_slots = s.settings.journey_sample > 0 ? agents * 4 : 0;
    // The rest (task arena, the day's totals, thread-local lists): about 15 KB measured for the toy.
    const std::int64_t rest = (std::int64_t{16} << 10) + row;
    const std::int64_t per_sim =
        parameters + agents * per_agent + routes + plans + network + counts + journeys + journey_slots + rest;

    // The writer holds every replicate's rows of up to 64 days, fewer when they pass 64 MB (it
    // writes them then, after the day that passed), twice: the days gathered, and those being
    // written; and HDF5's chunk caches.
    const std::int64_t day_rows = row * replicates;
    const std::int64_t writer =
        2 * std::min(std::min<std::int64_t>(64, days) * day_rows, (std::int64_t{64} << 20) + day_rows) + caches +
        2 * replicates * journeys;
    // At the end, with the simulations gone: the ensemble summaries (mean and three quantiles of
    // every summarised series and day, kept until the file is closed), computed from one series
    // of every replicate at a time; then the file is read back one dataset at a time (a
    // summary's or a series', about three copies of it). A simulation of a big scenario is
    // mostly vectors above glibc's mmap threshold, handed back to the system when freed; one of
    // a small scenario (under a MiB) is small blocks, which the process keeps: those add up.
    const std::int64_t summaries = 4 * days * summarised * 8;
    const std::int64_t finishing = summaries + std::max(replicates * days * widest_summarised * 8,
                                                        3 * std::max<std::int64_t>(replicates, 4) * days * widest * 8);

    const std::int64_t kept = per_sim < (std::int64_t{1} << 20) ? sims * per_sim : 0;
    const std::int64_t running = leftovers + scenario + writer + std::max(sims * per_sim, kept + finishing);
    // The process itself (libraries, HDF5, TBB); and a tenth more for what the terms above leave
    // out (heap fragmentation, HDF5's metadata, thread stacks): without it they came within 0 to
    // 5% below the measured peaks of a million demand rows, 65,000 places and the Mediterranean.
    const std::int64_t modelled = std::max(loading, running);
    return (std::int64_t{32} << 20) + modelled + modelled / 10;
}

namespace {
std::string size_text(std::int64_t bytes) {
    std::ostringstream out;
    out.precision(3);
    if (bytes < 1000000000) out << (bytes + 999999) / 1000000 << " MB";
    else out << static_cast<double>(bytes) / 1e9 << " GB";
    return out.str();
}

// Refuses a run that will not fit in memory, before it starts.
void check_memory(const Scenario& scenario, const RunOptions& options, int ranks) {
    const std::int64_t need = estimate_memory(scenario, options, ranks);
    const std::int64_t bound = options.max_memory > 0 ? options.max_memory : available_memory();
    if (bound > 0 && need > bound)
        throw ScenarioError(std::string(options.max_memory > 0 ? "--max-memory" : "memory") + ": the run of '" +
                            scenario.settings.name + "' needs about " + size_text(need) + " per process (" +
                            std::to_string(scenario.total_agents()) + " migrants x " +
                            std::to_string(std::max(1, options.replicates)) + " replicates), expected at most " +
                            size_text(bound) +
                            (options.max_memory > 0 ? " (--max-memory)" : " (the memory available now)") +
                            "; run fewer replicates at once, split them over ranks (docs/CLUSTER.md), or raise "
                            "--max-memory");
}
}   // namespace

void check_output_path(const std::filesystem::path& output, bool force, const std::vector<std::string>& inputs,
                       const std::string& option) {
    std::error_code ec;
    if (!std::filesystem::exists(output, ec)) return;
    const auto input = std::find_if(inputs.begin(), inputs.end(), [&](const std::string& file) {
        return std::filesystem::equivalent(output, file, ec);
    });
    if (input != inputs.end())
        throw OutputError(output.string() + ": is a file this command reads" +
                          (*input != output.string() ? " (" + *input + ")" : "") + "; expected a new file for " +
                          option + " (--force never replaces an input)");
    if (std::filesystem::is_directory(output, ec))
        throw OutputError(output.string() + ": is a folder; expected a file name for " + option);
    if (!force)
        throw OutputError(
            output.string() + ": exists; give --force to replace it" +
            (option == "-o" ? ", another -o, or --resume " + output.string() + " to continue it if it was interrupted"
                            : " or another " + option));
}

RunResult run(const Scenario& scenario, const RunOptions& options) {
    const auto start = clock::now();
    const Comm& comm = world_of(options);
    const int replicates = std::max(1, options.replicates);
    RunInfo info{seeds_of(scenario, replicates), thread_count(options), comm.size(), options.decompose, {}, {}, {}};
    info.source = options.source;
    info.overrides = options.overrides;
    info.checkpoint_every = options.checkpoint_every;
    info.policy = policy_timeline(scenario);
    std::unique_ptr<Hdf5Writer> writer;   // rank 0 writes; no other rank creates a file
    Checkpoint resume_from;
    on_every_rank(comm, [&] {
        check_memory(scenario, options, comm.size());
        check_journeys(scenario, false);
        if (options.checkpoint_every > 0 && comm.size() > 1)
            throw ScenarioError("--checkpoint-every: checkpoints are for runs on one process (got " +
                                std::to_string(comm.size()) + " ranks); a sweep over ranks resumes by sample");
        if (comm.rank() != 0) return;
        check_disk_space(scenario, options);
        if (options.resume) {
            if (read_resume_point(options.output).resolved_scenario != scenario.resolved_text)
                throw OutputError(options.output +
                                  ": the scenario's files or overrides changed since this run "
                                  "started (" +
                                  options.source +
                                  "); it cannot be continued bit for "
                                  "bit (run it again, or give the scenario it ran with: --scenario PATH)");
            writer = std::make_unique<Hdf5Writer>(Hdf5Writer::Resume{}, options.output, info);
            std::tie(resume_from.day, resume_from.states) = writer->checkpoint();
        } else {
            std::vector<std::string> inputs;
            for (const auto& file : scenario.inputs) inputs.push_back(file.path);
            check_output_path(options.output, options.overwrite, inputs, "-o");
            writer = std::make_unique<Hdf5Writer>(options.output, scenario, info);
        }
    });
    RunResult result;
    const Comm::Traffic before = comm.traffic();
    result.interrupted =
        !run_jobs(replicates_of(scenario, 0, replicates), options, writer.get(), 1, result, start, resume_from);
    close_run(writer.get(), comm, before, start, result);
    return result;
}

RunResult run_sweep(const SweepPlan& plan, const RunOptions& options) {
    const auto start = clock::now();
    const int replicates = std::max(1, options.replicates);
    const int samples = static_cast<int>(plan.values.size());
    // Posterior runs: draw k's replicates use seed + k * replicates + r (SweepPlan::posterior).
    auto draw_seed = [&](int k) {
        return plan.seed + static_cast<std::uint64_t>(k) * static_cast<std::uint64_t>(replicates);
    };
    auto sample_scenario = [&](int k) {
        std::vector<std::string> overrides = plan.overrides;
        for (std::size_t p = 0; p < plan.parameters.size(); ++p) {
            std::ostringstream value;
            value.precision(17);
            value << plan.values[static_cast<std::size_t>(k)][p];
            overrides.push_back(plan.parameters[p] + "=" + value.str());
        }
        if (!plan.is_posterior()) return load_scenario(plan.scenario, overrides);
        overrides.push_back("seed=" + std::to_string(draw_seed(k)));
        try {
            return load_scenario(plan.scenario, overrides);
        } catch (const ScenarioError& e) {   // the user's --set loaded before: a key of the posterior
            throw ScenarioError(plan.posterior + ": a parameter of the posterior does not apply to " +
                                plan.scenario.string() + " (draw " + std::to_string(k) + "): " + e.what());
        }
    };
    // Every sample is loaded and checked before anything runs.
    const Comm& comm = world_of(options);
    std::vector<Scenario> scenarios;
    on_every_rank(comm, [&] {
        for (int k = 0; k < samples; ++k) scenarios.push_back(sample_scenario(k));
        check_journeys(scenarios.front(), true);
    });

    std::ostringstream spec;
    spec.precision(17);
    spec << "scenario=" << plan.scenario.string() << "\nreplicates=" << replicates
         << "\nseed=" << scenarios.front().settings.seed << "\ndays=" << scenarios.front().settings.days;
    for (const auto& o : plan.overrides) spec << "\nset " << o;
    for (const auto& s : scenarios) spec << "\nsample " << detail::sha256_hex(s.resolved_text);
    for (std::size_t p = 0; p < plan.parameters.size(); ++p) {
        spec << "\nparameter " << plan.parameters[p] << ":";
        for (const auto& row : plan.values) spec << " " << row[p];
    }
    if (plan.is_posterior()) spec << "\nposterior " << plan.posterior_sha256;
    RunInfo info{seeds_of(scenarios.front(), replicates),
                 thread_count(options),
                 comm.size(),
                 options.decompose,
                 plan.parameters,
                 plan.values,
                 spec.str()};
    if (plan.is_posterior()) {
        info.posterior = plan.posterior;
        info.posterior_sha256 = plan.posterior_sha256;
        for (const Scenario& s : scenarios) info.sample_seeds.push_back(seeds_of(s, replicates));
    }
    // Rank 0 opens (or resumes) the file and tells every rank which samples are done.
    std::unique_ptr<Hdf5Writer> writer;
    std::vector<std::int64_t> done(static_cast<std::size_t>(samples), 0);
    on_every_rank(comm, [&] {
        if (comm.rank() != 0) return;
        std::vector<std::string> inputs;   // an existing sweep file is resumed, never an input replaced
        for (const auto& file : scenarios.front().inputs) inputs.push_back(file.path);
        if (plan.is_posterior()) inputs.push_back(plan.posterior);
        check_output_path(options.output, true, inputs, "-o");
        // A posterior run given --force starts over; else, like a sweep, it finishes the file.
        const bool start_over = plan.is_posterior() && options.overwrite;
        writer = std::filesystem::exists(options.output) && !start_over
                     ? std::make_unique<Hdf5Writer>(Hdf5Writer::Resume{}, options.output, info)
                     : std::make_unique<Hdf5Writer>(options.output, scenarios.front(), info);
        const std::vector<bool> completed = writer->completed_samples();
        for (int k = 0; k < samples; ++k) done[static_cast<std::size_t>(k)] = completed[static_cast<std::size_t>(k)];
    });
    comm.max(done);
    RunResult result;
    const Comm::Traffic before = comm.traffic();
    for (int k = 0; k < samples; ++k) result.samples_skipped += done[static_cast<std::size_t>(k)] ? 1 : 0;
    // Samples run in waves: one sample at a time on one process or with agents split over the
    // ranks; with replicates over ranks, enough samples side by side to give every rank work
    // (of the same length, so that they step in lockstep).
    const bool spread = options.decompose == Decomposition::replicates && comm.size() > 1;
    std::vector<int> unfinished;
    for (int k = 0; k < samples; ++k)
        if (!done[static_cast<std::size_t>(k)]) unfinished.push_back(k);
    for (std::size_t next = 0; next < unfinished.size() && !result.interrupted;) {
        std::vector<Job> wave;
        std::vector<int> wave_samples;
        const int days = scenarios[static_cast<std::size_t>(unfinished[next])].settings.days;
        do {
            const int k = unfinished[next++];
            for (const Job& job : replicates_of(scenarios[static_cast<std::size_t>(k)], k, replicates))
                wave.push_back(job);
            wave_samples.push_back(k);
        } while (spread && next < unfinished.size() && static_cast<int>(wave.size()) < comm.size() &&
                 scenarios[static_cast<std::size_t>(unfinished[next])].settings.days == days);
        if (!run_jobs(wave, options, writer.get(), samples, result, start)) {
            result.interrupted = true;
            break;
        }
        for (int k : wave_samples)
            if (writer) writer->sample_done(k);
        result.samples_run += static_cast<int>(wave_samples.size());
    }
    close_run(writer.get(), comm, before, start, result);
    return result;
}

}   // namespace migsim

// The execution of migsim's rules (LogitRules, model/logit_model.hpp): the threads, each
// thread's Worker, the sums over threads and ranks, and the exact selection of scarce places
// (parallel/selection.hpp), around the rules' phases. A day:
//   begin_day        events, new agents, conditions, route choice (the rules, serial)
//   intent           every agent on some thread, with that thread's Worker
//   sums             demand for scarce places over threads, then over ranks
//   selection        the winners of each contest, by their keys (find_thresholds)
//   resolution       every asker on some thread
//   sums             the day's counts over threads and ranks (and per group)
//   end_day          beliefs, quotas, DayTotals (the rules)
// Integer sums are exact in any order, so neither the threads nor the ranks change the result.
#include <algorithm>
#include <memory>
#include <utility>

#include "model/logit_model.hpp"
#include "parallel/selection.hpp"
#include "parallel/threads.hpp"

namespace migsim::detail::logit {

namespace {

struct LogitModel final : LogitRules {
    Threads threads;
    const Comm& comm;
    PerThread<Worker> workers;
    std::vector<std::span<const Ask>> ask_lists;

    LogitModel(std::shared_ptr<const Scenario> s, std::uint64_t replicate_seed, int thread_count, const Comm& c)
        : LogitRules(std::move(s), replicate_seed, static_cast<std::uint32_t>(c.rank()),
                     static_cast<std::uint32_t>(c.size())),
          threads(thread_count), comm(c), workers([this] {
              return Worker{std::vector<Counters>(split, Counters(layout)),
                            std::vector<Counters>(split, Counters(layout)),
                            0,
                            {}};
          }) {}

    void step() override {
        begin_day();
        for (Worker& w : workers) {
            for (Counters& c : w.group_counts) c.zero();
            w.asks.clear();
        }
        const auto n = static_cast<std::uint32_t>(agents.size());
        threads.sweep(n, workers,
                      [&](std::uint32_t begin, std::uint32_t end, Worker& w) { intent_sweep(begin, end, w); });

        // Resolution: demand is summed exactly, the winners found by their own keys.
        sum_workers(Count::market_demand);
        sum_workers(Count::pathway_applications);
        contests();
        comm.sum(demand);
        ask_lists.clear();
        for (const Worker& w : workers) ask_lists.emplace_back(w.asks);
        find_thresholds(ask_lists, demand, places, comm, thresholds);
        for (const auto& list : ask_lists)
            threads.sweep(list.size(), workers, [&](std::size_t begin, std::size_t end, Worker& w) {
                resolve_sweep(list.subspan(begin, end - begin), w);
            });

        sum_workers();
        count_wages();
        comm.sum(totals.values);
        if (split > 1) sum_groups();
        end_day();
    }

    // The day's counts over threads: one section, or all of them.
    void sum_workers(Count section) { sum_range(layout.offset(section), layout.end(section)); }
    void sum_workers() { sum_range(0, layout.total()); }

    void sum_range(std::size_t begin, std::size_t end) {
        std::fill(totals.values.begin() + static_cast<std::ptrdiff_t>(begin),
                  totals.values.begin() + static_cast<std::ptrdiff_t>(end), 0);
        // The ended journeys: counted in the status and place sections (the first two), whenever
        // they are summed.
        const std::size_t ended_end = std::min(end, layout.end(Count::location_population));
        for (const Worker& w : workers)
            for (std::size_t g = 0; g < split; ++g) {
                for (std::size_t k = begin; k < end; ++k) totals.values[k] += w.group_counts[g].values[k];
                for (std::size_t k = begin; k < ended_end; ++k) totals.values[k] += w.group_ended[g].values[k];
            }
    }

    // Each group's totals of the day (a run split by group), over threads and ranks.
    void sum_groups() {
        const std::size_t ended_end = layout.end(Count::location_population);
        std::vector<std::int64_t> all;
        all.reserve(split * layout.total());
        for (std::size_t g = 0; g < split; ++g) {
            Counters& t = group_totals[g];
            t.zero();
            for (const Worker& w : workers) {
                for (std::size_t k = 0; k < t.values.size(); ++k) t.values[k] += w.group_counts[g].values[k];
                for (std::size_t k = 0; k < ended_end; ++k) t.values[k] += w.group_ended[g].values[k];
            }
            all.insert(all.end(), t.values.begin(), t.values.end());
        }
        comm.sum(all);
        for (std::size_t g = 0; g < split; ++g)
            std::copy_n(all.begin() + static_cast<std::ptrdiff_t>(g * layout.total()), layout.total(),
                        group_totals[g].values.begin());
    }

    // Checkpoints: the ended journeys' counts live in the Workers, summed over threads.
    void save(std::vector<std::byte>& bytes) const override {
        std::vector<Counters> ended(split, Counters(layout));
        for (std::size_t g = 0; g < split; ++g)
            for (const Worker& w : workers)
                for (std::size_t k = 0; k < ended[g].values.size(); ++k)
                    ended[g].values[k] += w.group_ended[g].values[k];
        save_state(bytes, ended);
    }

    void restore(std::span<const std::byte> bytes) override {
        std::vector<Counters> ended;
        restore_state(bytes, ended);
        workers.clear();
        Worker& here = workers.local();
        for (std::size_t g = 0; g < split; ++g) here.group_ended[g].values = std::move(ended[g].values);
    }
};

}   // namespace

}   // namespace migsim::detail::logit

namespace migsim {

std::unique_ptr<Simulation::Impl> detail::make_logit_model(std::shared_ptr<const Scenario> s, std::uint64_t seed,
                                                           int threads, const Comm& comm) {
    return std::make_unique<logit::LogitModel>(std::move(s), seed, threads, comm);
}

}   // namespace migsim

// The execution of Flee's rules (FleeRules, flee/rules/flee_rules.hpp): the threads, each
// thread's counts, and their sums over threads and ranks, around the rules' phases. A day:
// begin_day (events, spawning, route tables), every agent on some thread with that thread's
// FleeCounts, the sums over threads and ranks, end_day (tomorrow's occupancy, DayTotals).
#include <algorithm>
#include <memory>
#include <utility>

#include "flee/rules/flee_rules.hpp"
#include "parallel/threads.hpp"

namespace migsim::detail::flee {

namespace {

struct FleeModel final : FleeRules {
    Threads threads;
    const Comm& comm;
    PerThread<FleeCounts> workers;

    FleeModel(std::shared_ptr<const Scenario> s, std::uint64_t replicate_seed, int thread_count, const Comm& c)
        : FleeRules(std::move(s), replicate_seed, static_cast<std::uint32_t>(c.rank()),
                    static_cast<std::uint32_t>(c.size())),
          threads(thread_count), comm(c), workers([this] { return FleeCounts(N, L); }) {}

    void step() override {
        begin_day();
        for (FleeCounts& w : workers) std::fill(w.values.begin(), w.values.end(), 0);
        const auto n = static_cast<std::uint32_t>(agents.size());
        threads.sweep(n, workers, [&](std::uint32_t begin, std::uint32_t end, FleeCounts& w) { sweep(begin, end, w); });
        std::fill(totals.values.begin(), totals.values.end(), 0);
        for (const FleeCounts& w : workers)
            for (std::size_t k = 0; k < totals.values.size(); ++k) totals.values[k] += w.values[k];
        comm.sum(totals.values);
        end_day();
    }
};

}   // namespace

}   // namespace migsim::detail::flee

namespace migsim {

std::unique_ptr<Simulation::Impl> detail::make_flee_model(std::shared_ptr<const Scenario> s, std::uint64_t seed,
                                                          int threads, const Comm& comm) {
    return std::make_unique<flee::FleeModel>(std::move(s), seed, threads, comm);
}

}   // namespace migsim

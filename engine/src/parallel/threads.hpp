// The execution layer's threads: a TBB task arena of the run's --threads, each thread's own
// Worker (what the rules count on it), and sweeps over index ranges in chunks. The rules
// (engine/src/model/) never see TBB: they are called here, a chunk at a time, with the Worker of
// the thread that runs the chunk (parallel/logit_run.cpp, parallel/flee_run.cpp).
#pragma once

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cstddef>

namespace migsim::detail {

inline constexpr std::size_t agent_grain = 4096;   // agents per task: large enough to amortise

// One Worker per thread that took part, made on first use; iterating visits each once.
template <class Worker>
using PerThread = tbb::enumerable_thread_specific<Worker>;

class Threads {
public:
    // `threads` = 0: as many as TBB's default arena allows. TBB caps workers at the core count;
    // the cap is lifted so that --threads 8 really runs 8 threads on a 2-core machine (the
    // determinism tests rely on it).
    explicit Threads(int threads)
        : parallelism_(tbb::global_control::max_allowed_parallelism,
                       static_cast<std::size_t>(std::max(threads, tbb::info::default_concurrency()))),
          arena_(threads > 0 ? threads : tbb::task_arena::automatic) {}

    // Calls chunk(begin, end, worker) for chunks of about agent_grain covering [0, n), in
    // parallel on the arena's threads, each with the Worker of the thread that runs it.
    template <class Index, class Worker, class Chunk>
    void sweep(Index n, PerThread<Worker>& workers, const Chunk& chunk) {
        arena_.execute([&] {
            tbb::parallel_for(tbb::blocked_range<Index>(0, n, agent_grain),
                              [&](const tbb::blocked_range<Index>& range) {
                                  chunk(range.begin(), range.end(), workers.local());
                              });
        });
    }

    // The threads TBB's default arena has (the machine's cores, or the process's CPU mask).
    [[nodiscard]] static int default_count() { return tbb::info::default_concurrency(); }

private:
    tbb::global_control parallelism_;
    tbb::task_arena arena_;
};

// The runner's arena, in which the simulations of a run step side by side (each also parallel
// inside, on its own Threads): at most `threads` threads in all.
class Jobs {
public:
    explicit Jobs(int threads) : arena_(threads) {}

    // step(k) for k in [0, n), in parallel.
    template <class Step>
    void each(int n, const Step& step) {
        arena_.execute([&] { tbb::parallel_for(0, n, step); });
    }

private:
    tbb::task_arena arena_;
};

}   // namespace migsim::detail

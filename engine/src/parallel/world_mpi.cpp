// The world of a build with MIGSIM_WITH_MPI: MPI's processes. The only file that includes
// mpi.h. MPI is called from the main thread only (TBB's workers never communicate), so
// MPI_THREAD_FUNNELED is all that is asked of the library.
// The C API only: without these, Open MPI also pulls in its deprecated C++ bindings.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "migsim/comm.hpp"

namespace migsim {

namespace {

void check(int status, const char* what) {
    if (status != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed");
}

class MpiWorld final : public Comm {
public:
    MpiWorld(int& argc, char**& argv) {
        int provided = 0;
        check(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
        // Errors return codes (turned into exceptions) instead of ending the job silently.
        MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
        MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
        MPI_Comm_size(MPI_COMM_WORLD, &size_);
    }
    ~MpiWorld() override { MPI_Finalize(); }
    MpiWorld(const MpiWorld&) = delete;
    MpiWorld& operator=(const MpiWorld&) = delete;

    [[nodiscard]] int rank() const override { return rank_; }
    [[nodiscard]] int size() const override { return size_; }

    void sum(std::span<std::int64_t> values) const override { reduce(values, MPI_SUM); }
    void max(std::span<std::int64_t> values) const override { reduce(values, MPI_MAX); }

    [[nodiscard]] std::vector<std::vector<std::byte>> gather(std::span<const std::byte> mine) const override {
        int count = static_cast<int>(mine.size());
        traffic_.collectives += 2;
        traffic_.bytes += static_cast<std::int64_t>(sizeof count + mine.size());
        std::vector<int> counts(rank_ == 0 ? static_cast<std::size_t>(size_) : 0);
        check(MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Gather");
        std::vector<int> offsets(counts.size());
        std::vector<std::byte> all;
        if (rank_ == 0) {
            std::size_t total = 0;
            for (std::size_t r = 0; r < counts.size(); ++r) {
                offsets[r] = static_cast<int>(total);
                total += static_cast<std::size_t>(counts[r]);
            }
            all.resize(total);
        }
        check(MPI_Gatherv(mine.data(), count, MPI_BYTE, all.data(), counts.data(), offsets.data(), MPI_BYTE, 0,
                          MPI_COMM_WORLD),
              "MPI_Gatherv");
        std::vector<std::vector<std::byte>> out;
        for (std::size_t r = 0; r < counts.size(); ++r)
            out.emplace_back(all.begin() + offsets[r], all.begin() + offsets[r] + counts[r]);
        return out;
    }

    [[nodiscard]] Traffic traffic() const override { return traffic_; }

    [[noreturn]] void abort(int exit_code) const override {
        MPI_Abort(MPI_COMM_WORLD, exit_code);
        std::_Exit(exit_code);   // MPI_Abort does not return; if it did, do not hang
    }

private:
    void reduce(std::span<std::int64_t> values, MPI_Op op) const {
        if (size_ == 1 || values.empty()) return;
        ++traffic_.collectives;
        traffic_.bytes += static_cast<std::int64_t>(values.size_bytes());
        check(MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_INT64_T, op,
                            MPI_COMM_WORLD),
              "MPI_Allreduce");
    }

    int rank_ = 0, size_ = 1;
    mutable Traffic traffic_;   // main thread only, like every MPI call here
};

}   // namespace

std::unique_ptr<Comm> start_world(int& argc, char**& argv) { return std::make_unique<MpiWorld>(argc, argv); }
bool built_with_mpi() { return true; }

}   // namespace migsim

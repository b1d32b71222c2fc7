// The processes that run one job together: MPI ranks on a cluster, one process otherwise.
// Everything that crosses processes goes through this interface: integer sums (exact in any
// order, so results never depend on the rank count), byte gathers to rank 0, and agreement on
// failures. The serial build links the one-process implementation and has no MPI at all; a
// build with MIGSIM_WITH_MPI links the MPI one (engine/src/parallel/world_mpi.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace migsim {

class Comm {
public:
    virtual ~Comm() = default;
    [[nodiscard]] virtual int rank() const = 0;
    [[nodiscard]] virtual int size() const = 0;
    // Element-wise sum over all ranks, in place, on every rank.
    virtual void sum(std::span<std::int64_t> values) const = 0;
    // Element-wise maximum over all ranks, in place, on every rank.
    virtual void max(std::span<std::int64_t> values) const = 0;
    // Rank 0 gets every rank's bytes, in rank order; the other ranks get an empty vector.
    [[nodiscard]] virtual std::vector<std::vector<std::byte>> gather(std::span<const std::byte> mine) const = 0;
    // Ends every rank of the job with `exit_code` (a rank that cannot go on alone).
    [[noreturn]] virtual void abort(int exit_code) const = 0;

    // What this rank has sent so far: collective calls and the bytes it contributed to them.
    struct Traffic {
        std::int64_t collectives = 0, bytes = 0;
    };
    [[nodiscard]] virtual Traffic traffic() const { return {}; }

    [[nodiscard]] bool any(bool mine) const;   // true on every rank if true on one
};

// One process: sums and maxima are the identity, the gather is the process's own bytes.
[[nodiscard]] const Comm& single_process();

// The processes this one was started with, for the lifetime of the returned object. Built with
// MIGSIM_WITH_MPI: MPI's world (MPI initialised here, finalised when the object goes; a plain
// start without mpirun is a world of one). Otherwise single_process().
[[nodiscard]] std::unique_ptr<Comm> start_world(int& argc, char**& argv);
[[nodiscard]] bool built_with_mpi();

// How a job's work is split over ranks (docs/CLUSTER.md).
enum class Decomposition { replicates, agents };

// An error that every rank of a job knows about (see on_every_rank): each rank can end
// cleanly with the same exit class. Only `reporter` (the lowest rank that failed) has the
// message worth printing; `kind` says which error it was.
class AgreedFailure : public std::runtime_error {
public:
    enum Kind : std::int64_t { none = 0, internal = 1, output = 2, input = 3 };
    AgreedFailure(Kind kind, bool reporter, std::exception_ptr original, const std::string& what)
        : std::runtime_error(what), kind_(kind), reporter_(reporter), original_(std::move(original)) {}
    [[nodiscard]] Kind kind() const { return kind_; }
    [[nodiscard]] bool reporter() const { return reporter_; }
    // The failing rank's own exception (null on ranks that did not fail).
    [[nodiscard]] const std::exception_ptr& original() const { return original_; }

private:
    Kind kind_;
    bool reporter_;
    std::exception_ptr original_;
};

// Runs `step` on every rank (a collective call). If it throws on any rank of several, it throws
// AgreedFailure on all of them (a single process gets the error itself), so that no rank waits forever for one that stopped: setting a
// job up (reading the scenario, creating the output on rank 0) goes through here.
void on_every_rank(const Comm& comm, const std::function<void()>& step);

}   // namespace migsim

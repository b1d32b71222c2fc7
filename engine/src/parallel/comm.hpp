// The one interface through which processes would share the day's totals. This build is
// serial: sums are the identity. An MPI implementation (one MPI_Allreduce per call) slots in
// behind the same interface without touching the model.
#pragma once

#include <cstdint>
#include <span>

namespace migsim::detail {

class Comm {
public:
    virtual ~Comm() = default;
    [[nodiscard]] virtual int rank() const = 0;
    [[nodiscard]] virtual int size() const = 0;
    // Element-wise sum over all ranks, in place. Integers: exact in any order.
    virtual void sum(std::span<std::int64_t> values) const = 0;
};

class SerialComm final : public Comm {
public:
    [[nodiscard]] int rank() const override { return 0; }
    [[nodiscard]] int size() const override { return 1; }
    void sum(std::span<std::int64_t>) const override {}
};

}  // namespace migsim::detail

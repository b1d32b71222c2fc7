// One process: the Comm of a serial build and of the replicates inside one rank.
#pragma once

#include "migsim/comm.hpp"

namespace migsim::detail {

class SerialComm final : public Comm {
public:
    [[nodiscard]] int rank() const override { return 0; }
    [[nodiscard]] int size() const override { return 1; }
    void sum(std::span<std::int64_t>) const override {}
    void max(std::span<std::int64_t>) const override {}
    [[nodiscard]] std::vector<std::vector<std::byte>> gather(std::span<const std::byte> mine) const override {
        return {std::vector<std::byte>(mine.begin(), mine.end())};
    }
    [[noreturn]] void abort(int exit_code) const override;
};

}   // namespace migsim::detail

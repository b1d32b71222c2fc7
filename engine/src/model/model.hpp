// The rule sets behind a Simulation: migsim's own (LogitModel, model/logit_model.hpp) and Flee's
// (FleeModel, model/flee/). Each advances its agents a day at a time and fills the same
// DayTotals, so the writer, the runner and the front ends do not know which one runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "migsim/simulation.hpp"

namespace migsim {

struct Simulation::Impl {
    int day = 0;                 // days completed
    std::int64_t created = 0;    // agents created so far, on all ranks
    DayTotals today;

    virtual ~Impl() = default;
    virtual void step() = 0;
    [[nodiscard]] virtual const Scenario& scenario() const = 0;
    [[nodiscard]] virtual std::int64_t agents_here() const = 0;
    [[nodiscard]] virtual double money_given() const { return 0; }
    [[nodiscard]] virtual double money_held() const { return 0; }
    [[nodiscard]] virtual std::vector<Journey> journeys() const { return {}; }
    virtual void save(std::vector<std::byte>& bytes) const = 0;
    virtual void restore(std::span<const std::byte> bytes) = 0;
};

namespace detail {
std::unique_ptr<Simulation::Impl> make_logit_model(const Scenario& s, int threads, const Comm& comm);
std::unique_ptr<Simulation::Impl> make_flee_model(const Scenario& s, int threads, const Comm& comm);
}  // namespace detail

}  // namespace migsim

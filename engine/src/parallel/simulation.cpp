// The Simulation facade: the rules the scenario names (migsim's or Flee's, model/), run by the
// execution layer (parallel/logit_run.cpp, parallel/flee_run.cpp).
#include <memory>
#include <utility>

#include "model/agents.hpp"
#include "model/model.hpp"

namespace migsim {

Simulation::Simulation(const Scenario& scenario, int threads, const Comm& comm)
    : Simulation(std::make_shared<const Scenario>(scenario), scenario.settings.seed, threads, comm) {}

Simulation::Simulation(std::shared_ptr<const Scenario> scenario, std::uint64_t seed, int threads, const Comm& comm) {
    const bool flee = scenario->rules == Rules::flee;
    impl_ = flee ? detail::make_flee_model(std::move(scenario), seed, threads, comm)
                 : detail::make_logit_model(std::move(scenario), seed, threads, comm);
}
Simulation::~Simulation() = default;
void Simulation::step() { impl_->step(); }
int Simulation::day() const { return impl_->day; }
const DayTotals& Simulation::today() const { return impl_->today; }
const Scenario& Simulation::scenario() const { return impl_->loaded; }
const DayParameters& Simulation::parameters() const { return impl_->now; }
std::uint64_t Simulation::seed() const { return impl_->seed; }
std::int64_t Simulation::agents() const { return impl_->created; }
std::int64_t Simulation::agents_here() const { return impl_->agents_here(); }
std::size_t Simulation::hot_bytes_per_agent() { return detail::AgentStore::hot_bytes; }
double Simulation::money_given() const { return impl_->money_given(); }
double Simulation::money_held() const { return impl_->money_held(); }
std::vector<Journey> Simulation::journeys() const { return impl_->journeys(); }

std::vector<std::byte> Simulation::save_state() const {
    std::vector<std::byte> bytes;
    impl_->save(bytes);
    return bytes;
}

void Simulation::restore_state(std::span<const std::byte> state) { impl_->restore(state); }

}   // namespace migsim

// A scenario as a calibration Model: each point is the scenario with the SPEC's parameters set,
// run in memory (no file), its targets metered day by day. Points run side by side, one thread
// each, and are shared out over ranks point by point; the rows are exchanged as the bit
// patterns of their doubles in an integer sum, so every rank gets them exactly.
#include <cstring>
#include <mutex>
#include <sstream>

#include "migsim/calibration.hpp"
#include "migsim/errors.hpp"
#include "migsim/scenario.hpp"
#include "migsim/simulation.hpp"
#include "parallel/threads.hpp"
#include "scenario/parameters.hpp"

namespace migsim::calibration {

struct ScenarioModel::Impl {
    Spec spec;
    Scenario base;
    int threads = 1;
    const Comm* comm = nullptr;

    // The scenario at one point: the SPEC's parameters set as --set would set them.
    [[nodiscard]] std::shared_ptr<const Scenario> at(const std::vector<double>& point) const {
        auto s = std::make_shared<Scenario>(base);
        for (std::size_t p = 0; p < spec.parameters.size(); ++p) {
            std::ostringstream value;
            value.precision(17);
            value << point[p];
            detail::apply_override(*s, spec.parameters[p].key, value.str(), {spec.path.string(), 0});
        }
        return s;
    }

    [[nodiscard]] std::vector<double> run(const std::vector<double>& point, std::uint64_t seed) const {
        const auto scenario = at(point);
        std::vector<double> mean(spec.targets.size(), 0.0);
        for (int r = 0; r < spec.replicates; ++r) {
            Simulation sim(scenario, seed + static_cast<std::uint64_t>(r), 1);
            TargetMeter meter(*scenario, spec.targets);
            for (int d = 0; d < scenario->settings.days; ++d) {
                sim.step();
                meter.add_day(d, sim.today());
            }
            const auto values = meter.values();
            for (std::size_t t = 0; t < mean.size(); ++t) mean[t] += values[t];
        }
        for (double& v : mean) v /= spec.replicates;
        return mean;
    }
};

ScenarioModel::ScenarioModel(const Spec& spec, int threads, const Comm& comm) : impl_(std::make_unique<Impl>()) {
    impl_->spec = spec;
    impl_->base = load_scenario(spec.scenario, spec.overrides);
    impl_->threads = threads > 0 ? threads : detail::Threads::default_count();
    impl_->comm = &comm;
}
ScenarioModel::~ScenarioModel() = default;

const Scenario& ScenarioModel::base() const { return impl_->base; }

std::vector<std::vector<double>> ScenarioModel::evaluate(const std::vector<std::vector<double>>& points,
                                                         const std::vector<std::uint64_t>& seeds,
                                                         const std::function<void(int)>& done) {
    const Comm& comm = *impl_->comm;
    const std::size_t n = points.size(), targets = impl_->spec.targets.size();
    const auto ranks = static_cast<std::size_t>(comm.size()), rank = static_cast<std::size_t>(comm.rank());
    std::vector<std::size_t> mine;
    for (std::size_t k = rank; k < n; k += ranks) mine.push_back(k);
    std::vector<std::int64_t> bits(n * targets, 0);
    std::mutex progress;
    int finished = 0;
    std::exception_ptr failure;
    detail::Jobs jobs(impl_->threads);
    jobs.each(static_cast<int>(mine.size()), [&](int j) {
        const std::size_t k = mine[static_cast<std::size_t>(j)];
        try {
            const std::vector<double> row = impl_->run(points[k], seeds[k]);
            std::memcpy(&bits[k * targets], row.data(), targets * sizeof(double));
        } catch (...) {
            const std::lock_guard lock(progress);
            if (!failure) failure = std::current_exception();
        }
        const std::lock_guard lock(progress);
        ++finished;
        if (done && rank == 0) done(finished * static_cast<int>(ranks));
    });
    // Every rank learns whether any failed before the exchange, so none is left waiting.
    std::vector<std::int64_t> failed{failure ? 1 : 0};
    comm.max(failed);
    if (failure) std::rethrow_exception(failure);
    if (failed[0]) throw ScenarioError("a point failed on another rank (see its message)");
    comm.sum(bits);
    std::vector<std::vector<double>> rows(n, std::vector<double>(targets));
    for (std::size_t k = 0; k < n; ++k) std::memcpy(rows[k].data(), &bits[k * targets], targets * sizeof(double));
    return rows;
}

}   // namespace migsim::calibration

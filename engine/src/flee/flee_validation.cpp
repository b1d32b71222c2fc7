// Flee's validation metric (the averaged relative difference between simulated and registered
// camp populations) and its summary over a run's replicates, for `migsim validate-data`.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/hdf5_util.hpp"
#include "migsim/errors.hpp"
#include "migsim/flee.hpp"

namespace migsim {

namespace {

template <class Count>
ArdResult ard_of(const std::vector<CampSeries>& data, const std::vector<std::vector<Count>>& simulated) {
    if (simulated.size() != data.size())
        throw std::invalid_argument("ARD: " + std::to_string(simulated.size()) + " simulated camps for " +
                                    std::to_string(data.size()) + " camps in the data");
    std::size_t days = data.empty() ? 0 : data.front().daily.size();
    for (std::size_t c = 0; c < data.size(); ++c) days = std::min({days, data[c].daily.size(), simulated[c].size()});
    if (days == 0) throw std::invalid_argument("ARD: no day has both data and simulated counts");

    ArdResult result;
    result.camp_share.assign(data.size(), 0.0);
    for (std::size_t t = 0; t < days; ++t) {
        double registered = 0, total = 0;
        for (std::size_t c = 0; c < data.size(); ++c) {
            registered += static_cast<double>(data[c].daily[t]);
            total += static_cast<double>(simulated[c][t]);
        }
        // Flee divides by the registered total, or by 1 on a day with nobody registered.
        const double scale = std::max(registered, 1.0);
        const double rescale = total > 0 ? registered / total : 0.0;
        double err = 0, err_rescaled = 0;
        for (std::size_t c = 0; c < data.size(); ++c) {
            const double sim = static_cast<double>(simulated[c][t]);
            const double reg = static_cast<double>(data[c].daily[t]);
            err += std::abs(sim - reg);
            err_rescaled += std::abs(sim * rescale - reg);
            result.camp_share[c] += std::abs(sim - reg) / scale;
        }
        result.daily.push_back(err / scale);
        result.daily_rescaled.push_back(err_rescaled / scale);
    }
    const auto n = static_cast<double>(days);
    for (double x : result.daily) result.ard += x;
    for (double x : result.daily_rescaled) result.rescaled += x;
    result.ard /= n;
    result.rescaled /= n;
    for (auto& share : result.camp_share) share /= n;
    return result;
}

}   // namespace

ArdResult averaged_relative_difference(const std::vector<CampSeries>& data,
                                       const std::vector<std::vector<std::int64_t>>& simulated) {
    return ard_of(data, simulated);
}

ArdResult averaged_relative_difference(const std::vector<CampSeries>& data,
                                       const std::vector<std::vector<double>>& simulated) {
    return ard_of(data, simulated);
}

Spread spread_of(std::vector<double> values) {
    Spread s;
    if (values.empty()) return s;
    std::sort(values.begin(), values.end());
    const auto n = static_cast<double>(values.size());
    for (double v : values) s.mean += v;
    s.mean /= n;
    double squares = 0;
    for (double v : values) squares += (v - s.mean) * (v - s.mean);
    s.sd = values.size() > 1 ? std::sqrt(squares / (n - 1)) : 0.0;
    s.min = values.front();
    s.max = values.back();
    auto quantile = [&](double p) {   // linear between order statistics (numpy's default)
        const double at = p * (n - 1);
        const auto low = static_cast<std::size_t>(std::floor(at));
        const std::size_t high = std::min(low + 1, values.size() - 1);
        return values[low] + (at - static_cast<double>(low)) * (values[high] - values[low]);
    };
    s.q05 = quantile(0.05);
    s.q50 = quantile(0.50);
    s.q95 = quantile(0.95);
    return s;
}

RunValidation validate_replicates(const std::vector<CampSeries>& data,
                                  const std::vector<std::vector<std::vector<std::int64_t>>>& simulated) {
    if (simulated.empty()) throw std::invalid_argument("validate: no replicates");
    RunValidation v;
    for (const auto& c : data) v.camps.push_back(c.camp);
    std::vector<double> ards, rescaled;
    v.camp_share.assign(data.size(), 0.0);
    v.mean_trajectory.resize(data.size());
    for (const auto& replicate : simulated) {
        v.replicates.push_back(averaged_relative_difference(data, replicate));
        ards.push_back(v.replicates.back().ard);
        rescaled.push_back(v.replicates.back().rescaled);
        for (std::size_t c = 0; c < data.size(); ++c) {
            v.camp_share[c] += v.replicates.back().camp_share[c];
            auto& mean = v.mean_trajectory[c];
            mean.resize(std::max(mean.size(), replicate[c].size()), 0.0);
            for (std::size_t t = 0; t < replicate[c].size(); ++t) mean[t] += static_cast<double>(replicate[c][t]);
        }
    }
    const auto n = static_cast<double>(simulated.size());
    for (auto& share : v.camp_share) share /= n;
    for (auto& camp : v.mean_trajectory)
        for (auto& x : camp) x /= n;
    v.ard = spread_of(ards);
    v.rescaled = spread_of(rescaled);
    v.ensemble_mean_trajectory = averaged_relative_difference(data, v.mean_trajectory);
    return v;
}

RunPeriod read_run_period(const std::string& run_file) {
    using namespace detail;
    Handle file = open_file(run_file);
    return {read_string_attribute(file, "start_date"), static_cast<int>(number_attribute(file, "days_requested"))};
}

std::vector<std::vector<std::vector<std::int64_t>>> read_camp_populations(const std::string& run_file,
                                                                          const std::vector<CampSeries>& data) {
    using namespace detail;
    Handle file = open_file(run_file);
    if (read_string_attribute(file, "kind") != "run")
        throw OutputError(run_file + ": is not a run file from migsim run (validate-data reads one run's replicates)");
    const auto names = read_strings(file, "location_name");
    std::vector<std::size_t> columns;
    for (const auto& camp : data) {
        auto at = std::find(names.begin(), names.end(), camp.camp);
        if (at == names.end())
            throw ScenarioError(run_file + ": has no location named '" + camp.camp + "' (the camp on line " +
                                std::to_string(camp.line) +
                                " of the registrations' data_layout.csv); locations are matched by name");
        columns.push_back(static_cast<std::size_t>(at - names.begin()));
    }
    std::vector<hsize_t> shape;
    const auto values = read_numbers<std::int64_t>(file, "location_population", H5T_NATIVE_INT64, shape);
    if (shape.size() != 3 || shape[2] != names.size())
        throw OutputError(run_file + ": location_population is not (replicate, time, location)");
    const std::size_t days =
        static_cast<std::size_t>(std::min<double>(static_cast<double>(shape[1]), number_attribute(file, "days_"
                                                                                                        "completed")));
    std::vector<std::vector<std::vector<std::int64_t>>> out(shape[0]);
    for (hsize_t r = 0; r < shape[0]; ++r) {
        out[r].resize(columns.size());
        for (std::size_t c = 0; c < columns.size(); ++c)
            for (std::size_t t = 0; t < days; ++t)
                out[r][c].push_back(values[(r * shape[1] + t) * shape[2] + columns[c]]);
    }
    return out;
}

}   // namespace migsim

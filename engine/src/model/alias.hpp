// Walker alias tables (Vose's construction), several in one flat array: a group of `count`
// slots from `first` holds one discrete distribution, rebuilt when its probabilities change and
// sampled in O(1) from two 32-bit words. Route choice (logit and Flee's) builds one group per
// place and day; every agent there samples it with its own draws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/draws.hpp"

namespace migsim::detail {

class AliasTables {
public:
    // `slots` in all; `largest` the largest group (sizes the scratch: no allocation per build).
    void resize(std::size_t slots, std::size_t largest) {
        threshold_.assign(slots, 1.0);
        alias_.assign(slots, 0);
        small_.resize(largest);
        large_.resize(largest);
        scaled_.resize(largest);
    }

    // `probability[first + k]`, k < count, summing to 1.
    void build(std::size_t first, std::size_t count, const std::vector<double>& probability) {
        std::size_t n_small = 0, n_large = 0;
        for (std::size_t k = 0; k < count; ++k) {
            scaled_[k] = probability[first + k] * static_cast<double>(count);
            (scaled_[k] < 1.0 ? small_[n_small++] : large_[n_large++]) = k;
            alias_[first + k] = static_cast<std::uint32_t>(k);
        }
        while (n_small > 0 && n_large > 0) {
            const std::size_t s = small_[--n_small], l = large_[--n_large];
            threshold_[first + s] = scaled_[s];
            alias_[first + s] = static_cast<std::uint32_t>(l);
            scaled_[l] = (scaled_[l] + scaled_[s]) - 1.0;
            (scaled_[l] < 1.0 ? small_[n_small++] : large_[n_large++]) = l;
        }
        while (n_large > 0) threshold_[first + large_[--n_large]] = 1.0;
        while (n_small > 0) threshold_[first + small_[--n_small]] = 1.0;
    }

    // The slot drawn (0 <= k < count) of the group at `first`.
    [[nodiscard]] std::size_t sample(std::size_t first, std::size_t count, std::uint32_t word_column,
                                     std::uint32_t word_coin) const {
        const auto k = static_cast<std::size_t>((static_cast<std::uint64_t>(word_column) * count) >> 32);
        return unit(word_coin) < threshold_[first + k] ? k : alias_[first + k];
    }

private:
    std::vector<double> threshold_;
    std::vector<std::uint32_t> alias_;
    std::vector<std::size_t> small_, large_;
    std::vector<double> scaled_;
};

}   // namespace migsim::detail

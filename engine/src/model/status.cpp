// The names of the agents' statuses: the output's `status` dimension, in Status order.
#include "migsim/simulation.hpp"

namespace migsim {

const char* to_string(Status status) {
    static constexpr const char* names[] = {"waiting", "travelling",      "detained",     "held",    "trafficked",
                                            "arrived", "arrived_regular", "dead_missing", "settled", "returned"};
    return names[static_cast<std::size_t>(status)];
}

}   // namespace migsim

#include "migsim/comm.hpp"

#include <cstdlib>

#include "migsim/errors.hpp"
#include "parallel/serial_comm.hpp"

namespace migsim {

namespace detail {
void SerialComm::abort(int exit_code) const { std::exit(exit_code); }
}   // namespace detail

bool Comm::any(bool mine) const {
    std::int64_t flag = mine ? 1 : 0;
    max(std::span(&flag, 1));
    return flag != 0;
}

const Comm& single_process() {
    static const detail::SerialComm one;
    return one;
}

namespace {
AgreedFailure::Kind kind_of(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const ScenarioError&) {
        return AgreedFailure::input;
    } catch (const OutputError&) {
        return AgreedFailure::output;
    } catch (...) {
        return AgreedFailure::internal;
    }
}
}   // namespace

void on_every_rank(const Comm& comm, const std::function<void()>& step) {
    if (comm.size() == 1) {   // alone: the error itself, nobody to tell
        step();
        return;
    }
    std::exception_ptr error;
    try {
        step();
    } catch (...) {
        error = std::current_exception();
    }
    // One collective whether or not this rank failed: [worst kind, -(lowest failing rank)].
    const AgreedFailure::Kind mine = error ? kind_of(error) : AgreedFailure::none;
    std::int64_t agreed[2] = {mine, error ? -comm.rank() : -comm.size()};
    comm.max(agreed);
    if (agreed[0] == AgreedFailure::none) return;
    const bool reporter = error && -agreed[1] == comm.rank();
    std::string what = "rank " + std::to_string(-agreed[1]) + " failed";
    if (error) {
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
            what = "unknown error";
        }
    }
    throw AgreedFailure(static_cast<AgreedFailure::Kind>(agreed[0]), reporter, error, what);
}

}   // namespace migsim

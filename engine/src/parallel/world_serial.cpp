// The world of a build without MPI: this process alone.
#include "migsim/comm.hpp"
#include "parallel/serial_comm.hpp"

namespace migsim {

std::unique_ptr<Comm> start_world(int&, char**&) { return std::make_unique<detail::SerialComm>(); }
bool built_with_mpi() { return false; }

}   // namespace migsim

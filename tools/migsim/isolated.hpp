// Reading files that may be damaged. HDF5 1.10 trusts what a file says: a damaged global heap
// (where variable-length strings live, in datasets and attributes alike) makes H5HG_read copy
// past its buffer, and no HDF5 call can check a heap before reading it. So the commands that
// only read files (info, compare, validate-data, and the first look at a file to --resume) read
// in a child process: a crash there becomes one line naming the files and exit code 3.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace migsim::cli {

// Runs `body` (which prints its own output and errors and returns an exit code) in a forked
// child and returns its exit code; throws OutputError naming `files` if the child died of a
// signal or ran past its time (a minute, and a second per megabyte of the files). Runs `body`
// here when it cannot fork.
int isolated(const std::vector<std::string>& files, const std::function<int()>& body);

}   // namespace migsim::cli

// SHA-256 of input files, written to the output so that a run can be matched to its inputs
// with `sha256sum`.
#pragma once

#include <string>

namespace migsim::detail {

[[nodiscard]] std::string sha256_hex(const std::string& bytes);

}   // namespace migsim::detail

// A day's totals as bytes, to send one replicate's day from the rank that ran it to rank 0,
// which writes every replicate (replicate decomposition). Same machine type on every rank:
// the bytes are the values' own.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "migsim/simulation.hpp"

namespace migsim::detail {

void append_day(const DayTotals& totals, std::vector<std::byte>& out);
// Reads one day from the front of `in` into `totals`; returns what follows it.
std::span<const std::byte> read_day(std::span<const std::byte> in, DayTotals& totals);

}  // namespace migsim::detail

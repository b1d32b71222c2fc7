// A day's totals as bytes, to send one replicate's day from the rank that ran it to rank 0,
// which writes every replicate (replicate decomposition); and a journey sample as bytes, sent
// to rank 0 at the end of a run and kept in checkpoints. Same machine type on every rank: the
// bytes are the values' own.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "common/bytes.hpp"
#include "migsim/simulation.hpp"

namespace migsim::detail {

void append_day(const DayTotals& totals, std::vector<std::byte>& out);
// Reads one day from the front of `in` into `totals`; returns what follows it.
std::span<const std::byte> read_day(std::span<const std::byte> in, DayTotals& totals);

void put_journeys(ByteWriter& out, const std::vector<Journey>& journeys);
void take_journeys(ByteReader& in, std::vector<Journey>& journeys);

}   // namespace migsim::detail

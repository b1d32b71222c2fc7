// Reading a scenario's text files (scenario.yml, variants, CSV tables) whole, with the checks
// every one of them needs: the file exists, is a file and can be read, and is UTF-8.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace migsim::detail {

// The most bytes read from one input file: 2^31 - 1. yaml-cpp counts positions in an int (a
// larger YAML file would get wrong lines in its messages, or worse), and no table comes near it:
// the largest shipped one has 100 KB, a million demand rows 30 MB. Reaching it is a wrong path,
// not a big scenario; the memory a scenario of any size needs is checked against what the
// machine has (or --max-memory) by estimate_memory (migsim/run.hpp) before anything runs.
inline constexpr std::uintmax_t max_input_bytes = 2147483647;

// The file's bytes as they are on disk (the input hash is of these). Throws ScenarioError for a
// missing or unreadable file, anything but a regular file (a device, a FIFO, a socket: a symbolic
// link is followed), one over max_input_bytes, or a non-UTF-8 file (UTF-16, Latin-1, a NUL
// byte), naming the line and column of the first bad byte. A UTF-8 byte-order mark is accepted.
[[nodiscard]] std::string read_text_file(const std::string& path);

// Whether `text` is valid UTF-8 (RFC 3629); the output's strings are read back with it too.
[[nodiscard]] bool is_utf8(std::string_view text);

// `bytes` without a leading UTF-8 byte-order mark (EF BB BF), which editors on Windows write.
[[nodiscard]] std::string_view without_bom(std::string_view bytes);

}   // namespace migsim::detail

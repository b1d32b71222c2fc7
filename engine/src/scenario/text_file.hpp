// Reading a scenario's text files (scenario.yml, variants, CSV tables) whole, with the checks
// every one of them needs: the file exists, is a file and can be read, and is UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace migsim::detail {

// The file's bytes as they are on disk (the input hash is of these). Throws ScenarioError for a
// missing, unreadable or non-UTF-8 file (UTF-16, Latin-1, a NUL byte), naming the line and
// column of the first bad byte. A UTF-8 byte-order mark is accepted.
[[nodiscard]] std::string read_text_file(const std::string& path);

// `bytes` without a leading UTF-8 byte-order mark (EF BB BF), which editors on Windows write.
[[nodiscard]] std::string_view without_bom(std::string_view bytes);

}  // namespace migsim::detail

// Pieces of the FabFlee importer (migsim/flee_import.hpp) that the tests use directly.
#pragma once

#include <string>
#include <vector>

namespace migsim::detail {

// A Flee input CSV, read with libcsv. Flee marks its header row with a leading '#' (`#name1`,
// or quoted, `"#name"`) and reads columns by position, so the header is kept apart: the
// first row whose first field starts with '#' (the '#' removed). Later '#' rows are comments.
// `first_row_is_header`: conflicts.csv's header is its first row, '#' or not. Every field is
// trimmed (conflicts.csv writes `#Day, Kidal, Gao`). Blank rows are skipped.
struct FleeCsv {
    struct Row {
        long line = 0;
        std::vector<std::string> fields;
    };
    std::string path;
    std::vector<std::string> header;   // empty: the file has none
    long header_line = 0;
    std::vector<Row> rows;
};

[[nodiscard]] FleeCsv read_flee_csv(const std::string& path, bool first_row_is_header = false);

// A Flee name as a migsim id: lowercase ASCII letters and digits, every run of anything else
// one '_', none at either end ("Fassala-Mbera" -> "fassala_mbera"). Empty when the name has no
// letter or digit.
[[nodiscard]] std::string snake_id(const std::string& name);

// Shortest text that reads back as the same double ("200", "0.001", "0.31622776601683794").
[[nodiscard]] std::string format_number(double value);

}   // namespace migsim::detail

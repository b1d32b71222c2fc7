// The FabFlee importer's reading of Flee's CSVs: the libcsv reader with Flee's '#' header,
// ids and numbers as text, and the checked field readers the other flee_import*.cpp use.
#include <csv.h>

#include <cctype>
#include <charconv>
#include <sstream>
#include <utility>

#include "migsim/errors.hpp"
#include "flee/import/flee_import.hpp"
#include "flee/import/flee_import_parts.hpp"
#include "scenario/text_file.hpp"

namespace migsim::detail {

namespace {

std::string trim(const std::string& s) {
    auto begin = s.find_first_not_of(" \t\r");
    auto end = s.find_last_not_of(" \t\r");
    return begin == std::string::npos ? std::string{} : s.substr(begin, end - begin + 1);
}

struct ParseState {
    std::vector<FleeCsv::Row> rows;
    std::vector<std::string> fields;
    long line = 0, row_line = 0;
};

void on_field(void* data, std::size_t size, void* state_ptr) {
    auto& state = *static_cast<ParseState*>(state_ptr);
    if (state.fields.empty()) state.row_line = state.line;
    state.fields.push_back(trim(std::string(static_cast<const char*>(data), size)));
}

void on_row_end(int, void* state_ptr) {
    auto& state = *static_cast<ParseState*>(state_ptr);
    bool blank = true;
    for (const auto& f : state.fields) blank = blank && f.empty();
    if (!blank) state.rows.push_back({state.row_line, std::move(state.fields)});
    state.fields.clear();
}

}   // namespace

FleeCsv read_flee_csv(const std::string& path, bool first_row_is_header) {
    const std::string bytes = read_text_file(path);
    csv_parser parser{};
    csv_init(&parser, CSV_APPEND_NULL);
    ParseState state;
    std::istringstream lines{std::string(without_bom(bytes))};
    std::string line;
    while (std::getline(lines, line)) {
        ++state.line;
        line += '\n';
        if (csv_parse(&parser, line.data(), line.size(), on_field, on_row_end, &state) != line.size()) {
            std::string why = csv_strerror(csv_error(&parser));
            csv_free(&parser);
            throw ScenarioError(
                flee_import::cat({path, ":", std::to_string(state.line), ": malformed CSV (", why, ")"}));
        }
    }
    if (csv_fini(&parser, on_field, on_row_end, &state) != 0) {
        csv_free(&parser);
        throw ScenarioError(path + ":" + std::to_string(state.line) +
                            ": malformed CSV (a quoted field is never closed)");
    }
    csv_free(&parser);

    FleeCsv table;
    table.path = path;
    bool seen_data = false;
    for (auto& row : state.rows) {
        const bool hash = !row.fields.empty() && !row.fields[0].empty() && row.fields[0][0] == '#';
        const bool header = table.header_line == 0 && !seen_data && (hash || first_row_is_header);
        if (header) {
            table.header = row.fields;
            if (hash) table.header[0] = trim(table.header[0].substr(1));
            table.header_line = row.line;
        } else if (!hash) {
            seen_data = true;
            table.rows.push_back(std::move(row));
        }
    }
    return table;
}

std::string snake_id(const std::string& name) {
    std::string id;
    bool gap = false;
    for (char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum) {
            gap = true;
            continue;
        }
        if (gap && !id.empty()) id += '_';
        gap = false;
        id += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return id;
}

std::string format_number(double value) {
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc{} ? std::string(buffer, end) : std::to_string(value);
}

namespace flee_import {

[[noreturn]] void fail(const FleeCsv& t, long line, const std::string& column, const std::string& value,
                       const std::string& expected) {
    throw ScenarioError(t.path, line, "column '" + column + "'", value, expected);
}

const std::string& field(const FleeCsv& t, const FleeCsv::Row& row, std::size_t i, const std::string& column) {
    if (i >= row.fields.size())
        throw ScenarioError(t.path + ":" + std::to_string(row.line) + ": the row has " +
                            std::to_string(row.fields.size()) + " fields; expected at least " + std::to_string(i + 1) +
                            " (column '" + column + "' is missing)");
    return row.fields[i];
}

std::optional<long long> parse_whole(const std::string& text) {
    long long value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

long long whole_field(const FleeCsv& t, const FleeCsv::Row& row, std::size_t i, const std::string& column,
                      long long low, long long high, const std::string& expected) {
    const std::string& text = field(t, row, i, column);
    auto value = parse_whole(text);
    if (!value || *value < low || *value > high) fail(t, row.line, column, text, expected);
    return *value;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}   // namespace flee_import

}   // namespace migsim::detail

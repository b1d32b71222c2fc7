#include "scenario/csv_table.hpp"

#include <csv.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "migsim/errors.hpp"
#include "scenario/text_file.hpp"

namespace migsim::detail {

namespace {

struct ParseState {
    std::vector<CsvTable::Row>* rows;
    std::vector<std::string> fields;
    long line = 0;       // physical line being fed
    long row_line = 0;   // line where the current row started
};

void on_field(void* data, std::size_t size, void* state_ptr) {
    auto& state = *static_cast<ParseState*>(state_ptr);
    if (state.fields.empty()) state.row_line = state.line;
    state.fields.emplace_back(static_cast<const char*>(data), size);
}

void on_row_end(int, void* state_ptr) {
    auto& state = *static_cast<ParseState*>(state_ptr);
    bool blank = state.fields.empty() || (state.fields.size() == 1 && state.fields[0].empty());
    const std::size_t width = state.fields.size();
    if (!blank) state.rows->push_back({state.row_line, std::move(state.fields)});
    state.fields.clear();
    // The next row most likely has as many fields: room for exactly those (growing one field at
    // a time gave every row of 5 fields room for 8, a third of a big table's parse).
    state.fields.reserve(width);
}

std::string trim(const std::string& s) {
    auto begin = s.find_first_not_of(" \t\r");
    auto end = s.find_last_not_of(" \t\r");
    return begin == std::string::npos ? std::string{} : s.substr(begin, end - begin + 1);
}

}   // namespace

std::optional<double> parse_number(const std::string& text) {
    double value = 0;
    const char* first = text.data();
    const char* last = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec != std::errc{} || ptr != last || !std::isfinite(value)) return std::nullopt;
    return value;
}

std::vector<CsvTable::Row> read_csv_rows(const std::string& path, const std::string& bytes) {
    csv_parser parser{};
    csv_init(&parser, CSV_APPEND_NULL);
    std::vector<CsvTable::Row> all;
    ParseState state{&all, {}, 0, 0};
    const std::string_view text = without_bom(bytes);   // read in place, not copied
    std::string line;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        line.assign(text.substr(at, end - at));
        at = end + 1;
        ++state.line;
        std::string stripped = trim(line);
        if (state.fields.empty() && (stripped.empty() || stripped[0] == '#')) continue;
        line += '\n';
        if (csv_parse(&parser, line.data(), line.size(), on_field, on_row_end, &state) != line.size()) {
            std::string why = csv_strerror(csv_error(&parser));
            csv_free(&parser);
            std::string message = path;
            message += ":" + std::to_string(state.line) + ": malformed CSV (" + why + ")";
            throw ScenarioError(message);
        }
    }
    if (csv_fini(&parser, on_field, on_row_end, &state) != 0) {
        csv_free(&parser);
        throw ScenarioError(path + ":" + std::to_string(state.line) +
                            ": malformed CSV (a quoted field is never closed)");
    }
    csv_free(&parser);
    return all;
}

CsvTable::CsvTable(std::string path, const std::vector<std::string>& required, const std::vector<std::string>& optional)
    : path_(std::move(path)) {
    bytes_ = read_text_file(path_);
    rows_ = read_csv_rows(path_, bytes_);   // the header first, taken out below

    if (rows_.empty())
        throw ScenarioError(path_ + ": the file is empty; expected a header row naming the columns "
                                    "(docs/SCENARIOS.md)");
    const Row header = std::move(rows_.front());
    rows_.erase(rows_.begin());
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        std::string name = trim(header.fields[i]);
        bool known = false;
        for (const auto& c : required) known = known || c == name;
        for (const auto& c : optional) known = known || c == name;
        if (!known) {
            std::string columns;
            for (const auto& c : required) columns += (columns.empty() ? "" : ", ") + c;
            for (const auto& c : optional) columns += (columns.empty() ? "" : ", ") + c;
            throw ScenarioError(path_, header.line, "header", name,
                                "one of the columns " + columns + " (names are case-sensitive)");
        }
        if (!columns_.emplace(name, i).second)
            throw ScenarioError(path_, header.line, "header", name, "each column once");
    }
    for (const auto& c : required)
        if (!columns_.count(c)) {
            std::string names;
            for (const auto& f : header.fields) names += (names.empty() ? "" : ",") + trim(f);
            throw ScenarioError(path_, header.line, "header", names,
                                "a column named '" + c + "' (it is missing; docs/SCENARIOS.md lists the columns)");
        }
    for (Row& row : rows_) {
        if (row.fields.size() != header.fields.size())
            throw ScenarioError(path_ + ":" + std::to_string(row.line) + ": the row has " +
                                std::to_string(row.fields.size()) + " fields; expected " +
                                std::to_string(header.fields.size()) + " as in the header" +
                                (row.fields.size() > header.fields.size() ? " (a value that contains a comma must be "
                                                                            "in double quotes)"
                                                                          : " (an empty value still needs its comma)"));
        for (auto& f : row.fields) f = trim(f);
    }
}

void CsvTable::fail(const Row& row, const std::string& column, const std::string& value,
                    const std::string& expected) const {
    throw ScenarioError(path_, row.line, "column '" + column + "'", value, expected);
}

bool CsvTable::has(const Row& row, const std::string& column) const {
    auto it = columns_.find(column);
    return it != columns_.end() && !row.fields[it->second].empty();
}

std::string CsvTable::text(const Row& row, const std::string& column) const {
    auto it = columns_.find(column);
    return it == columns_.end() ? std::string{} : row.fields[it->second];
}

std::string CsvTable::id(const Row& row, const std::string& column) const {
    std::string value = text(row, column);
    if (value.empty()) fail(row, column, value, "an id (it is empty)");
    for (char c : value)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'))
            fail(row, column, value, "an id of letters, digits, '_' or '-'");
    return value;
}

double CsvTable::number(const Row& row, const std::string& column) const {
    std::string value = text(row, column);
    auto parsed = parse_number(value);
    if (!parsed) fail(row, column, value, "a finite number");
    return *parsed;
}

double CsvTable::number_at_least(const Row& row, const std::string& column, double low, const char* expected) const {
    double value = number(row, column);
    if (value < low) fail(row, column, text(row, column), expected);
    return value;
}

double CsvTable::probability(const Row& row, const std::string& column) const {
    double value = number(row, column);
    if (value < 0 || value > 1) fail(row, column, text(row, column), "a probability in [0, 1]");
    return value;
}

std::int64_t CsvTable::integer(const Row& row, const std::string& column, std::int64_t low, const char* expected,
                               std::int64_t high, const char* why) const {
    std::string value = text(row, column);
    std::int64_t parsed = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    const bool digits = ptr == value.data() + value.size() && !value.empty();
    const bool too_large = digits && ec == std::errc::result_out_of_range && value[0] != '-';
    if (!too_large && (ec != std::errc{} || !digits))
        fail(row, column, value, std::string("a whole number: ") + expected);
    if (too_large || parsed > high)
        fail(row, column, value, std::string(expected) + ", at most " + std::to_string(high) + " (" + why + ")");
    if (parsed < low) fail(row, column, value, expected);
    return parsed;
}

std::vector<std::string> CsvTable::list(const Row& row, const std::string& column) const {
    std::vector<std::string> items;
    std::stringstream in(text(row, column));
    std::string item;
    while (std::getline(in, item, ';')) {
        item = trim(item);
        if (!item.empty()) items.push_back(item);
    }
    return items;
}

}   // namespace migsim::detail

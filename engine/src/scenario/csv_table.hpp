// A CSV table read with libcsv (RFC 4180), kept with the line number of every row so that
// each field can be checked and reported as "file:line: column 'x': value 'v' ...".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace migsim::detail {

class CsvTable {
public:
    // Reads the whole file. `required` columns must be present, `optional` ones may be; any
    // other column is an error (usually a typo). Throws ScenarioError.
    CsvTable(std::string path, const std::vector<std::string>& required, const std::vector<std::string>& optional = {});

    struct Row {
        long line;
        std::vector<std::string> fields;
    };

    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] const std::vector<Row>& rows() const { return rows_; }
    [[nodiscard]] const std::string& bytes() const { return bytes_; }

    // Field accessors; all throw ScenarioError naming file, line, column, value, expectation.
    [[nodiscard]] bool has(const Row& row, const std::string& column) const;   // present, non-empty
    [[nodiscard]] std::string text(const Row& row, const std::string& column) const;
    [[nodiscard]] std::string id(const Row& row, const std::string& column) const;
    [[nodiscard]] double number(const Row& row, const std::string& column) const;
    [[nodiscard]] double number_at_least(const Row& row, const std::string& column, double low,
                                         const char* expected) const;
    [[nodiscard]] double probability(const Row& row, const std::string& column) const;
    // A whole number in [low, high]; `why` says where `high` comes from (the type the engine
    // stores it in, the longest run).
    [[nodiscard]] std::int64_t integer(const Row& row, const std::string& column, std::int64_t low,
                                       const char* expected, std::int64_t high, const char* why) const;
    [[nodiscard]] std::vector<std::string> list(const Row& row, const std::string& column) const;

    [[noreturn]] void fail(const Row& row, const std::string& column, const std::string& value,
                           const std::string& expected) const;

private:
    std::string path_, bytes_;
    std::unordered_map<std::string, std::size_t> columns_;
    std::vector<Row> rows_;
};

// Every row of a CSV file's `bytes` (read from `path`), fields as written (not trimmed), with
// blank lines and lines starting with '#' left out; for files without a header row (Flee's
// data). Throws ScenarioError for malformed CSV.
std::vector<CsvTable::Row> read_csv_rows(const std::string& path, const std::string& bytes);

// Parses a number the way the tables do (whole string, finite); nullopt when it is not one.
std::optional<double> parse_number(const std::string& text);

}   // namespace migsim::detail

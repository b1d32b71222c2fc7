#include "migsim/errors.hpp"

namespace migsim {

namespace {
std::string describe(const std::string& file, long line, const std::string& field, const std::string& value,
                     const std::string& expected) {
    std::string where = file;
    if (line > 0) where += ":" + std::to_string(line);
    return where + ": " + field + ": got '" + value + "', expected " + expected;
}
}   // namespace

ScenarioError::ScenarioError(std::string file, long line, std::string field, std::string value,
                             const std::string& expected)
    : std::runtime_error(describe(file, line, field, value, expected)), file_(std::move(file)),
      field_(std::move(field)), value_(std::move(value)), line_(line) {}

ScenarioError::ScenarioError(const std::string& message) : std::runtime_error(message) {}

}   // namespace migsim

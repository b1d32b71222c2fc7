// Typed errors thrown by the library. The library never prints and never exits: front ends
// catch these and turn them into one clear message and an exit code.
#pragma once

#include <stdexcept>
#include <string>

namespace migsim {

// Bad input: a scenario file, a table row, an override. The message names the file, line,
// field, the bad value and what was expected.
class ScenarioError : public std::runtime_error {
public:
    ScenarioError(std::string file, long line, std::string field, std::string value, const std::string& expected);
    // For errors that are not about one field (a file that cannot be opened, an unreachable
    // destination): the message is given whole.
    explicit ScenarioError(const std::string& message);

    const std::string& file() const { return file_; }
    long line() const { return line_; }
    const std::string& field() const { return field_; }
    const std::string& value() const { return value_; }

private:
    std::string file_, field_, value_;
    long line_ = 0;
};

// Output could not be written or read (disk full, not an HDF5 file, missing dataset).
class OutputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}   // namespace migsim

// Text as it must be written into the scenario files migsim writes (write_scenario,
// import-flee) so that load_scenario reads back exactly the same text.
#pragma once

#include <string>

namespace migsim::detail {

// A CSV field, quoted as RFC 4180 wants when it holds a comma, a quote or a line break, or
// starts or ends with a space (which a reader might otherwise trim).
inline std::string csv_field(const std::string& field) {
    if (field.find_first_of(",\"\n\r") == std::string::npos &&
        (field.empty() || (field.front() != ' ' && field.back() != ' ')))
        return field;
    std::string quoted = "\"";
    for (char c : field) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

// A YAML double-quoted scalar.
inline std::string yaml_string(const std::string& text) {
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
    }
    return quoted + "\"";
}

}   // namespace migsim::detail

// A one-line progress display for terminals: day, agents, speed, time left.
#pragma once

#include "migsim/run.hpp"

namespace migsim::cli {

class ProgressLine {
public:
    explicit ProgressLine(bool enabled);
    void operator()(const Progress& p);
    void finish();

private:
    bool enabled_;
    bool terminal_;
    double last_shown_ = -1;
};

}   // namespace migsim::cli

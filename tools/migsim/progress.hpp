// Progress on stderr, for every long command: one line redrawn in place on a terminal (at most 10
// times a second), a line every 10 seconds in a log. StatusLine is the display; ProgressLine says
// what a run or sweep is doing (day, agents, speed, time left).
#pragma once

#include <string>

#include "migsim/run.hpp"

namespace migsim::cli {

class StatusLine {
public:
    explicit StatusLine(bool enabled);
    // Shows `text` if it is time to (or `last`: the final state, always shown).
    void show(double seconds_elapsed, bool last, const std::string& text);
    void finish() const;   // ends the redrawn line on a terminal

private:
    bool enabled_;
    bool terminal_;
    double last_shown_ = -1e9;
};

class ProgressLine {
public:
    explicit ProgressLine(bool enabled) : line_(enabled) {}
    void operator()(const Progress& p);
    void finish() const { line_.finish(); }

private:
    StatusLine line_;
};

}   // namespace migsim::cli

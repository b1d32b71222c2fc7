#include "progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace migsim::cli {

ProgressLine::ProgressLine(bool enabled) : enabled_(enabled), terminal_(isatty(fileno(stderr)) != 0) {}

void ProgressLine::operator()(const Progress& p) {
    if (!enabled_) return;
    // On a terminal: redraw at most 10 times a second. In a log: a line every 10 seconds.
    const double every = terminal_ ? 0.1 : 10.0;
    if (p.day != p.days && p.seconds_elapsed - last_shown_ < every) return;
    last_shown_ = p.seconds_elapsed;
    std::fprintf(stderr, "%sday %d/%d  %lld agents  %.3g agent-days/s  %.0f s left%s", terminal_ ? "\r" : "", p.day,
                 p.days, static_cast<long long>(p.agents), p.agent_days_per_second, p.seconds_left,
                 terminal_ ? "   " : "\n");
    std::fflush(stderr);
}

void ProgressLine::finish() {
    if (enabled_ && terminal_) std::fprintf(stderr, "\n");
}

}   // namespace migsim::cli

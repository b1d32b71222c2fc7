#include "progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace migsim::cli {

StatusLine::StatusLine(bool enabled) : enabled_(enabled), terminal_(isatty(fileno(stderr)) != 0) {}

void StatusLine::show(double seconds_elapsed, bool last, const std::string& text) {
    if (!enabled_) return;
    if (!last && seconds_elapsed - last_shown_ < (terminal_ ? 0.1 : 10.0)) return;
    last_shown_ = seconds_elapsed;
    std::fprintf(stderr, "%s%s%s", terminal_ ? "\r" : "", text.c_str(), terminal_ ? "   " : "\n");
    std::fflush(stderr);
}

void StatusLine::finish() const {
    if (enabled_ && terminal_) std::fprintf(stderr, "\n");
}

void ProgressLine::operator()(const Progress& p) {
    char text[256];
    std::snprintf(text, sizeof text, "day %d/%d  %lld agents  %.3g agent-days/s  %.0f s left", p.day, p.days,
                  static_cast<long long>(p.agents), p.agent_days_per_second, p.seconds_left);
    line_.show(p.seconds_elapsed, p.day == p.days, text);
}

}   // namespace migsim::cli

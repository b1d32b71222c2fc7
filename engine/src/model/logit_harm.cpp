// migsim's rules (LogitRules, model/logit_model.hpp): harm at places (docs/HARM.md): a waiting
// agent's day at a dangerous place, and the days of those held, trafficked or detained.
#include "model/logit_model.hpp"

namespace migsim::detail::logit {

// A waiting agent's day at a dangerous place; true if it is now held, trafficked or detained.
bool AgentRules::suffer_harm(std::uint32_t i, std::size_t at, Worker& w) {
    const Words words = draw(seed, id(i), day, Purpose::harm);
    auto suffers = [&](HarmKind kind, std::uint32_t word) -> const DayParameters::HarmValues* {
        const int row = harm_at(at, i, kind);
        if (row == no_index) return nullptr;
        const DayParameters::HarmValues* h = &now.harms[static_cast<std::size_t>(row)];
        if (!happens(word, h->daily_risk)) return nullptr;
        w.counts(harm_count(kind), at)++;
        if (Journey* j = journey(i)) ++j->harms[static_cast<std::size_t>(kind)];
        return h;
    };
    suffers(HarmKind::violence, words[3]);   // counted; nothing else changes
    if (const auto* h = suffers(HarmKind::abduction, words[0])) {
        pay(i, h->ransom, Count::ransom_paid, at, w);
        agents.status[i] = Status::held;
        agents.days_left[i] = static_cast<std::uint16_t>(h->days);
        return true;
    }
    if (suffers(HarmKind::trafficking, words[1]) != nullptr) {
        agents.status[i] = Status::trafficked;
        return true;
    }
    if (const auto* h = suffers(HarmKind::detention, words[2])) {
        agents.status[i] = Status::detained;
        agents.days_left[i] = static_cast<std::uint16_t>(h->days);
        return true;
    }
    return false;
}

// A day held for ransom: it may die; when the days are over it is let go where it was.
void AgentRules::hold(std::uint32_t i, Worker& w) {
    const std::size_t at = agents.location[i];
    const int row = harm_at(at, i, HarmKind::abduction);
    if (row != no_index &&
        happens(draw(seed, id(i), day, Purpose::harm, 1)[0], now.harms[static_cast<std::size_t>(row)].death_risk)) {
        agents.status[i] = Status::dead_missing;
        w.counts(Count::harm_deaths, at)++;
        w.counts(Count::profile_deaths, agents.profile[i])++;
        count_ended(i, w);
        return;
    }
    if (--agents.days_left[i] == 0) agents.status[i] = Status::waiting;
}

// A day trafficked: it gets out with the place's exit rate and goes on from there.
void AgentRules::exploit(std::uint32_t i, Worker& w) {
    (void)w;
    const int row = harm_at(agents.location[i], i, HarmKind::trafficking);
    if (row != no_index &&
        happens(draw(seed, id(i), day, Purpose::harm, 3)[0], now.harms[static_cast<std::size_t>(row)].exit_rate)) {
        agents.status[i] = Status::waiting;
        agents.days_waiting[i] = 0;
    }
}

// The end of a detention (after a raid or an interception): released where it is, or, with
// the place's return share, sent on to `return_to` or home (the journey ends).
void AgentRules::release(std::uint32_t i, Worker& w) {
    const std::size_t at = agents.location[i];
    agents.status[i] = Status::waiting;
    const int row = harm_at(at, i, HarmKind::detention);
    if (row == no_index ||
        !happens(draw(seed, id(i), day, Purpose::harm, 2)[0], now.harms[static_cast<std::size_t>(row)].return_share))
        return;
    w.counts(Count::harm_returns, at)++;
    const int return_to = flat.harm_return_to[static_cast<std::size_t>(row)];
    if (return_to != no_index) {
        agents.location[i] = static_cast<std::uint16_t>(return_to);
        agents.days_waiting[i] = 0;
        moved(i);
        return;
    }
    agents.status[i] = Status::returned;
    agents.location[i] = agents.origin[i];
    moved(i);
    count_ended(i, w);
}

}   // namespace migsim::detail::logit

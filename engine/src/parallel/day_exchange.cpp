#include "parallel/day_exchange.hpp"

#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace migsim::detail {

namespace {

// Every field of DayTotals, in one order for writing and reading.
template <class Totals, class Visit>
void each_field(Totals& t, Visit&& visit) {
    visit(t.day);
    visit(t.agents_created);
    visit(t.status_counts);
    visit(t.location_population), visit(t.arrivals), visit(t.arrivals_regular);
    visit(t.link_flow), visit(t.link_deaths);
    visit(t.border_attempts), visit(t.border_interceptions), visit(t.border_deaths);
    visit(t.border_crossings), visit(t.border_regular_crossings);
    visit(t.market_seats), visit(t.market_unmet_demand), visit(t.market_price), visit(t.market_revenue);
    visit(t.pathway_applications), visit(t.pathway_admissions);
    visit(t.arrival_transit_days);
    visit(t.profile_arrivals), visit(t.profile_regular_arrivals), visit(t.profile_deaths);
    visit(t.profile_interceptions), visit(t.profile_seats);
}

void put(std::vector<std::byte>& out, const void* data, std::size_t bytes) {
    const auto* p = static_cast<const std::byte*>(data);
    out.insert(out.end(), p, p + bytes);
}

class Reader {
public:
    explicit Reader(std::span<const std::byte> in) : in_(in) {}
    void take(void* data, std::size_t bytes) {
        if (bytes > in_.size()) throw std::runtime_error("a day's totals arrived cut short from another rank");
        std::memcpy(data, in_.data(), bytes);
        in_ = in_.subspan(bytes);
    }
    [[nodiscard]] std::span<const std::byte> rest() const { return in_; }

private:
    std::span<const std::byte> in_;
};

}  // namespace

void append_day(const DayTotals& totals, std::vector<std::byte>& out) {
    each_field(totals, [&](const auto& field) {
        using Field = std::decay_t<decltype(field)>;
        if constexpr (std::is_arithmetic_v<Field>) {
            put(out, &field, sizeof field);
        } else {
            const std::uint64_t n = field.size();
            put(out, &n, sizeof n);
            put(out, field.data(), n * sizeof field[0]);
        }
    });
}

std::span<const std::byte> read_day(std::span<const std::byte> in, DayTotals& totals) {
    Reader reader(in);
    each_field(totals, [&](auto& field) {
        using Field = std::decay_t<decltype(field)>;
        if constexpr (std::is_arithmetic_v<Field>) {
            reader.take(&field, sizeof field);
        } else {
            std::uint64_t n = 0;
            reader.take(&n, sizeof n);
            if constexpr (requires { field.resize(n); }) field.resize(n);
            else if (n != field.size()) throw std::runtime_error("a day's totals from another rank do not fit");
            reader.take(field.data(), n * sizeof field[0]);
        }
    });
    return reader.rest();
}

}  // namespace migsim::detail

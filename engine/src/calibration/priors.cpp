// Priors: what a point drawn from them is (the quantile of a unit draw) and how likely a value is
// (the log density, normalised over the support, for the ABC weights).
#include <cmath>
#include <numbers>

#include "migsim/calibration.hpp"

namespace migsim::calibration {

namespace {

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

// The standard normal quantile: Acklam's rational approximation (relative error 1e-9), then one
// Halley step on erfc, which brings it to double precision.
double normal_quantile(double p) {
    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                   1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                   6.680131188771972e+01, -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                   -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                   3.754408661907416e+00};
    constexpr double low = 0.02425;
    double x = 0;
    if (p < low) {
        const double q = std::sqrt(-2 * std::log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - low) {
        const double q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
        const double q = std::sqrt(-2 * std::log(1 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    const double e = normal_cdf(x) - p;
    const double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(x * x / 2);
    return x - u / (1 + x * u / 2);
}

}   // namespace

const char* to_string(PriorKind kind) {
    switch (kind) {
        case PriorKind::uniform: return "uniform";
        case PriorKind::log_uniform: return "log_uniform";
        case PriorKind::normal: return "normal";
        case PriorKind::truncated_normal: return "truncated_normal";
    }
    return "?";
}

double Prior::quantile(double u) const {
    switch (kind) {
        case PriorKind::uniform: return a + (b - a) * u;
        case PriorKind::log_uniform: return std::exp(std::log(a) + (std::log(b) - std::log(a)) * u);
        case PriorKind::normal: return a + b * normal_quantile(u);
        case PriorKind::truncated_normal: {
            const double lo = normal_cdf((low - a) / b), hi = normal_cdf((high - a) / b);
            const double x = a + b * normal_quantile(lo + u * (hi - lo));
            return std::fmin(std::fmax(x, low), high);
        }
    }
    return a;
}

double Prior::cdf(double x) const {
    if (x <= low) return 0;
    if (x >= high) return 1;
    switch (kind) {
        case PriorKind::uniform: return (x - a) / (b - a);
        case PriorKind::log_uniform: return std::log(x / a) / std::log(b / a);
        case PriorKind::normal: return normal_cdf((x - a) / b);
        case PriorKind::truncated_normal: {
            const double lo = normal_cdf((low - a) / b), hi = normal_cdf((high - a) / b);
            return (normal_cdf((x - a) / b) - lo) / (hi - lo);
        }
    }
    return 0;
}

double Prior::log_density(double x) const {
    if (!contains(x)) return -infinity;
    switch (kind) {
        case PriorKind::uniform: return -std::log(b - a);
        case PriorKind::log_uniform: return -std::log(x) - std::log(std::log(b / a));
        case PriorKind::normal:
        case PriorKind::truncated_normal: {
            const double z = (x - a) / b;
            double mass = 1;
            if (kind == PriorKind::truncated_normal) mass = normal_cdf((high - a) / b) - normal_cdf((low - a) / b);
            return -0.5 * z * z - std::log(b * std::sqrt(2 * std::numbers::pi) * mass);
        }
    }
    return -infinity;
}

}   // namespace migsim::calibration

// Gaussian-process emulator: fit by restricted maximum likelihood, predict with universal kriging
// (emulator.hpp).
#include "calibration/emulator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace migsim::calibration {

namespace {

// Bounds on the log-parameters searched: length scales in units of the [0, 1] inputs, the nugget
// as a share of the signal variance.
constexpr double min_log_length = -5.3;    // 0.005
constexpr double max_log_length = 3.9;     // 50: as good as linear (the mean is linear already)
constexpr double min_log_nugget = -18.4;   // 1e-8
constexpr double max_log_nugget = 4.6;     // 100: mostly noise

Eigen::MatrixXd basis(const Eigen::MatrixXd& x, bool linear) {
    Eigen::MatrixXd h(x.rows(), linear ? x.cols() + 1 : 1);
    h.col(0).setOnes();
    if (linear) h.rightCols(x.cols()) = x;
    return h;
}

// Cholesky of a symmetric positive (semi)definite matrix; on failure, jitter on the diagonal
// (1e-10 up to 1e-4 of it). False if even that fails.
bool cholesky(Eigen::MatrixXd m, Eigen::MatrixXd& l) {
    Eigen::LLT<Eigen::MatrixXd> llt(m);
    if (llt.info() == Eigen::Success) {
        l = llt.matrixL();
        return true;
    }
    const double scale = m.diagonal().mean();
    for (const double jitter : {1e-10, 1e-8, 1e-6, 1e-4}) {
        Eigen::MatrixXd j = m;
        j.diagonal().array() += jitter * scale;
        llt.compute(j);
        if (llt.info() == Eigen::Success) {
            l = llt.matrixL();
            return true;
        }
    }
    return false;
}

struct Fit {
    double log_likelihood = -std::numeric_limits<double>::infinity();
    double sigma2 = 1;
    Eigen::MatrixXd chol, r_inv_h, hrh_chol;
    Eigen::VectorXd alpha, beta;
};

// The restricted log likelihood (constants left out) at length scales l and nugget g, with
// sigma^2 profiled out: -(n - p)/2 log sigma^2 - 1/2 log|R| - 1/2 log|H' R^-1 H|.
Fit fit_at(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::MatrixXd& h, const Eigen::VectorXd& l,
           double g) {
    Fit fit;
    Eigen::MatrixXd r = matern52(x, x, l);
    r.diagonal().array() += g;
    if (!cholesky(r, fit.chol)) return fit;
    const auto lower = fit.chol.triangularView<Eigen::Lower>();
    const auto upper = fit.chol.transpose().triangularView<Eigen::Upper>();
    const Eigen::MatrixXd lh = lower.solve(h);   // L^-1 H
    const Eigen::VectorXd ly = lower.solve(y);   // L^-1 y
    const Eigen::MatrixXd hrh = lh.transpose() * lh;
    if (!cholesky(hrh, fit.hrh_chol)) return fit;
    const auto hrh_lower = fit.hrh_chol.triangularView<Eigen::Lower>();
    fit.beta = fit.hrh_chol.transpose().triangularView<Eigen::Upper>().solve(hrh_lower.solve(lh.transpose() * ly));
    const Eigen::VectorXd lresid = ly - lh * fit.beta;   // L^-1 (y - H beta)
    const auto n = static_cast<double>(x.rows());
    const auto p = static_cast<double>(h.cols());
    fit.sigma2 = std::max(lresid.squaredNorm() / (n - p), 1e-300);
    fit.alpha = upper.solve(lresid);
    fit.r_inv_h = upper.solve(lh);
    const double log_det_r = 2 * fit.chol.diagonal().array().log().sum();
    const double log_det_hrh = 2 * fit.hrh_chol.diagonal().array().log().sum();
    fit.log_likelihood = -0.5 * ((n - p) * std::log(fit.sigma2) + log_det_r + log_det_hrh);
    if (!std::isfinite(fit.log_likelihood)) fit.log_likelihood = -std::numeric_limits<double>::infinity();
    return fit;
}

// theta = (log l_1, ..., log l_d, log nugget), kept inside the bounds.
Eigen::VectorXd clamped(Eigen::VectorXd theta) {
    const Eigen::Index d = theta.size() - 1;
    for (Eigen::Index j = 0; j < d; ++j) theta[j] = std::clamp(theta[j], min_log_length, max_log_length);
    theta[d] = std::clamp(theta[d], min_log_nugget, max_log_nugget);
    return theta;
}

// Nelder-Mead minimisation of f from x0 (initial steps `step`), at most `evaluations` calls of f.
template <class F>
Eigen::VectorXd nelder_mead(const F& f, const Eigen::VectorXd& x0, double step, int evaluations) {
    const Eigen::Index k = x0.size();
    std::vector<Eigen::VectorXd> xs;
    std::vector<double> fs;
    xs.push_back(clamped(x0));
    fs.push_back(f(xs.back()));
    for (Eigen::Index j = 0; j < k; ++j) {
        Eigen::VectorXd x = x0;
        x[j] += step;
        xs.push_back(clamped(x));
        // At an upper bound the step goes the other way.
        if (xs.back() == xs.front()) {
            x[j] = x0[j] - step;
            xs.back() = clamped(x);
        }
        fs.push_back(f(xs.back()));
    }
    int used = static_cast<int>(k) + 1;
    std::vector<std::size_t> order(xs.size());
    while (used < evaluations) {
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return fs[a] < fs[b]; });
        const std::size_t best = order.front(), worst = order.back(), second = order[order.size() - 2];
        if (std::abs(fs[worst] - fs[best]) < 1e-9 * (1 + std::abs(fs[best]))) break;
        Eigen::VectorXd centroid = Eigen::VectorXd::Zero(k);
        for (std::size_t i = 0; i + 1 < order.size(); ++i) centroid += xs[order[i]];
        centroid /= static_cast<double>(k);
        const Eigen::VectorXd reflected = clamped(centroid + (centroid - xs[worst]));
        const double fr = f(reflected);
        ++used;
        if (fr < fs[best]) {
            const Eigen::VectorXd expanded = clamped(centroid + 2 * (centroid - xs[worst]));
            const double fe = f(expanded);
            ++used;
            if (fe < fr) {
                xs[worst] = expanded;
                fs[worst] = fe;
            } else {
                xs[worst] = reflected;
                fs[worst] = fr;
            }
        } else if (fr < fs[second]) {
            xs[worst] = reflected;
            fs[worst] = fr;
        } else {
            const bool outside = fr < fs[worst];
            const Eigen::VectorXd contracted = outside ? clamped(centroid + 0.5 * (reflected - centroid))
                                                       : clamped(centroid + 0.5 * (xs[worst] - centroid));
            const double fc = f(contracted);
            ++used;
            if (fc < (outside ? fr : fs[worst])) {
                xs[worst] = contracted;
                fs[worst] = fc;
            } else {
                for (std::size_t i = 0; i < xs.size(); ++i) {
                    if (i == best) continue;
                    xs[i] = clamped(xs[best] + 0.5 * (xs[i] - xs[best]));
                    fs[i] = f(xs[i]);
                    ++used;
                }
            }
        }
    }
    const auto best = static_cast<std::size_t>(std::min_element(fs.begin(), fs.end()) - fs.begin());
    return xs[best];
}

}   // namespace

Eigen::MatrixXd matern52(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, const Eigen::VectorXd& l) {
    const Eigen::MatrixXd as = a * l.cwiseInverse().asDiagonal();
    const Eigen::MatrixXd bs = b * l.cwiseInverse().asDiagonal();
    Eigen::MatrixXd d2 = (-2 * as * bs.transpose()).eval();
    d2.colwise() += as.rowwise().squaredNorm();
    d2.rowwise() += bs.rowwise().squaredNorm().transpose();
    const double root5 = std::sqrt(5.0);
    return d2.unaryExpr([root5](double s) {
        const double r = root5 * std::sqrt(std::max(s, 0.0));
        return (1 + r + r * r / 3) * std::exp(-r);
    });
}

Emulator::Emulator(const std::vector<std::vector<double>>& x, const std::vector<double>& y) {
    if (x.size() < 2 || x.size() != y.size())
        throw std::invalid_argument("emulator: at least 2 points, one output each");
    const auto n = static_cast<Eigen::Index>(x.size());
    const auto d = static_cast<Eigen::Index>(x.front().size());
    x_.resize(n, d);
    for (Eigen::Index i = 0; i < n; ++i) {
        if (static_cast<Eigen::Index>(x[static_cast<std::size_t>(i)].size()) != d)
            throw std::invalid_argument("emulator: points of different dimensions");
        for (Eigen::Index j = 0; j < d; ++j) x_(i, j) = x[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
    }
    Eigen::VectorXd ys = Eigen::Map<const Eigen::VectorXd>(y.data(), n);
    y_mean_ = ys.mean();
    const double sd = std::sqrt((ys.array() - y_mean_).square().sum() / static_cast<double>(n));
    y_scale_ = sd > 0 ? sd : 1;
    ys = (ys.array() - y_mean_) / y_scale_;
    // A linear mean when there are enough points to spare for it, else a constant.
    const Eigen::MatrixXd h = basis(x_, n > 2 * (d + 1));

    auto objective = [&](const Eigen::VectorXd& theta) {
        const Eigen::VectorXd l = theta.head(d).array().exp();
        return -fit_at(x_, ys, h, l, std::exp(theta[d])).log_likelihood;
    };
    // The best of an isotropic grid, then Nelder-Mead over every log-parameter.
    Eigen::VectorXd best(d + 1);
    double best_value = std::numeric_limits<double>::infinity();
    for (const double l : {0.05, 0.15, 0.5, 1.5}) {
        for (const double g : {1e-6, 1e-3, 1e-2, 1e-1}) {
            Eigen::VectorXd theta(d + 1);
            theta.head(d).setConstant(std::log(l));
            theta[d] = std::log(g);
            const double value = objective(theta);
            if (value < best_value) {
                best_value = value;
                best = theta;
            }
        }
    }
    if (!std::isfinite(best_value)) throw std::invalid_argument("emulator: no covariance could be factorised");
    const int budget = 150 + 50 * static_cast<int>(d + 1);
    best = nelder_mead(objective, best, 0.7, budget);
    best = nelder_mead(objective, best, 0.3, budget / 2);   // a restart, the simplex fresh

    length_scales_ = best.head(d).array().exp();
    nugget_ = std::exp(best[d]);
    Fit fit = fit_at(x_, ys, h, length_scales_, nugget_);
    if (!std::isfinite(fit.log_likelihood)) throw std::invalid_argument("emulator: the fitted covariance is singular");
    log_likelihood_ = fit.log_likelihood;
    sigma2_ = fit.sigma2;
    chol_ = std::move(fit.chol);
    alpha_ = std::move(fit.alpha);
    beta_ = std::move(fit.beta);
    r_inv_h_ = std::move(fit.r_inv_h);
    hrh_chol_ = std::move(fit.hrh_chol);
}

void Emulator::predict(const Eigen::MatrixXd& x, bool with_nugget, Eigen::VectorXd& mean,
                       Eigen::VectorXd& variance) const {
    const Eigen::MatrixXd r = matern52(x, x_, length_scales_);   // m x n
    const Eigen::MatrixXd h = basis(x, beta_.size() > 1);
    mean = h * beta_ + r * alpha_;
    const Eigen::MatrixXd v = chol_.triangularView<Eigen::Lower>().solve(r.transpose());   // L^-1 r'
    const Eigen::MatrixXd u = h - r * r_inv_h_;                                            // m x p
    const Eigen::MatrixXd w = hrh_chol_.triangularView<Eigen::Lower>().solve(u.transpose());
    variance = (1 - v.colwise().squaredNorm().array() + w.colwise().squaredNorm().array()).transpose();
    variance = variance.cwiseMax(1e-12);
    if (with_nugget) variance.array() += nugget_;
    mean = mean.array() * y_scale_ + y_mean_;
    variance *= sigma2_ * y_scale_ * y_scale_;
}

EmulatorPrediction Emulator::predict(const std::vector<double>& x, bool with_nugget) const {
    const Eigen::MatrixXd row = Eigen::Map<const Eigen::RowVectorXd>(x.data(), static_cast<Eigen::Index>(x.size()));
    Eigen::VectorXd mean, variance;
    predict(row, with_nugget, mean, variance);
    return {mean[0], variance[0]};
}

}   // namespace migsim::calibration

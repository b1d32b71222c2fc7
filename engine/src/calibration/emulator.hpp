// A Gaussian-process emulator of one model output over inputs scaled to [0, 1]^d (history
// matching, history_matching.cpp; docs/CALIBRATION.md, "History matching").
//
//   f(x) = h(x)' beta + g(x),   h(x) = (1, x_1, ..., x_d),   y_i = f(x_i) + e_i
//   g ~ GP(0, sigma^2 c(x, x')),  c: Matern 5/2 with one length scale per input
//   e_i ~ N(0, sigma^2 nugget): the seed noise of the model's row (it is stochastic)
//
// Outputs are standardised (mean 0, sd 1) before fitting. beta has a flat prior (generalised
// least squares, its uncertainty is in the predicted variance: universal kriging); sigma^2 is
// profiled out; the length scales and the nugget maximise the restricted log marginal likelihood
// (Nelder-Mead on their logarithms from the best of a small isotropic grid, a fixed number of
// evaluations): no randomness, so the same runs always give the same emulator.
#pragma once

#include <Eigen/Dense>

#include <vector>

namespace migsim::calibration {

struct EmulatorPrediction {
    double mean = 0;
    double variance = 0;   // of f(x) (the mean function), plus the nugget when asked
};

class Emulator {
public:
    Emulator() = default;
    // x[i]: a point in [0, 1]^d; y[i]: the model's output there. At least 2 points, all of the
    // same dimension. Throws std::invalid_argument otherwise.
    Emulator(const std::vector<std::vector<double>>& x, const std::vector<double>& y);

    [[nodiscard]] EmulatorPrediction predict(const std::vector<double>& x, bool with_nugget) const;
    // Rows of x (m x d); fills mean and variance (size m). Faster than m calls to predict().
    void predict(const Eigen::MatrixXd& x, bool with_nugget, Eigen::VectorXd& mean, Eigen::VectorXd& variance) const;

    [[nodiscard]] int dimension() const { return static_cast<int>(length_scales_.size()); }
    [[nodiscard]] const Eigen::VectorXd& length_scales() const { return length_scales_; }
    [[nodiscard]] double signal_variance() const { return sigma2_ * y_scale_ * y_scale_; }   // output units
    [[nodiscard]] double nugget_variance() const { return sigma2_ * nugget_ * y_scale_ * y_scale_; }
    [[nodiscard]] double log_likelihood() const { return log_likelihood_; }   // restricted, standardised

private:
    Eigen::MatrixXd x_;               // n x d
    Eigen::VectorXd length_scales_;   // d
    double nugget_ = 0;               // a share of sigma^2
    double sigma2_ = 1;               // standardised units
    double y_mean_ = 0, y_scale_ = 1;
    double log_likelihood_ = 0;
    Eigen::MatrixXd chol_;       // L of R = C + nugget I (+ jitter): lower triangle
    Eigen::VectorXd alpha_;      // R^-1 (y - H beta)
    Eigen::VectorXd beta_;       // d + 1
    Eigen::MatrixXd r_inv_h_;    // R^-1 H (n x (d + 1))
    Eigen::MatrixXd hrh_chol_;   // L of H' R^-1 H
};

// The Matern 5/2 correlation between rows of a (m x d) and b (n x d) with length scales l.
[[nodiscard]] Eigen::MatrixXd matern52(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, const Eigen::VectorXd& l);

}   // namespace migsim::calibration

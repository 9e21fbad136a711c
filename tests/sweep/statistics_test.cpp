// Statistics across replicates, against numpy's definitions worked out by hand.
#include <catch2/catch.hpp>

#include <cmath>

#include "sim/sweep/statistics.hpp"

using namespace policysim;
using namespace policysim::sweep;

TEST_CASE("sweep statistics: quantiles as numpy's default (linear) method", "[sweep][statistics]") {
  const std::vector<double> sorted = {1, 2, 3, 4, 10};
  // h = (n - 1) q = 4 q.
  CHECK(quantile_sorted(sorted, 0.05) == Approx(1.2));   // h = 0.2: 1 + 0.2 (2 - 1)
  CHECK(quantile_sorted(sorted, 0.5) == 3.0);             // h = 2
  CHECK(quantile_sorted(sorted, 0.95) == Approx(8.8));   // h = 3.8: 4 + 0.8 (10 - 4)
  CHECK(quantile_sorted(sorted, 0.0) == 1.0);
  CHECK(quantile_sorted(sorted, 1.0) == 10.0);
  const std::vector<double> two = {0.5, 1.5};
  CHECK(quantile_sorted(two, 0.05) == Approx(0.55));     // h = 0.05
  CHECK(quantile_sorted(two, 0.95) == Approx(1.45));
  CHECK(std::isnan(quantile_sorted(std::vector<double>{}, 0.5)));
}

TEST_CASE("sweep statistics: mean, sd (ddof 1), quantiles, with failed runs (NaN) left out", "[sweep][statistics]") {
  const Summary summary = summarize({10, 1, 4, 3, 2});
  CHECK(summary.mean == 4.0);
  CHECK(summary.sd == Approx(std::sqrt(12.5)));  // squares 36, 9, 0, 1, 4 over n - 1 = 4
  CHECK(summary.q05 == Approx(1.2));
  CHECK(summary.q50 == 3.0);
  CHECK(summary.q95 == Approx(8.8));

  const double nan = std::nan("");
  const Summary with_failed = summarize({nan, 2.0, nan, 4.0});
  CHECK(with_failed.mean == 3.0);
  CHECK(with_failed.sd == Approx(std::sqrt(2.0)));

  const Summary one = summarize({7.0});
  CHECK(one.mean == 7.0);
  CHECK(std::isnan(one.sd));  // numpy's std(ddof=1) of one value
  CHECK(one.q05 == 7.0);
  CHECK(one.q95 == 7.0);
  CHECK(std::isnan(summarize({nan}).mean));
}

TEST_CASE("sweep statistics: per point, per metric element, ok runs only", "[sweep][statistics]") {
  auto record = [](std::string status, std::vector<double> density, std::vector<double> pairs) {
    SweepRunRecord r;
    r.status = std::move(status);
    r.metrics = {std::move(density), std::move(pairs)};
    return r;
  };
  const std::vector<SweepRunRecord> replicates = {
      record("ok", {0.1, 0.2}, {1, 2, 3, 4}),
      record("ok", {0.3, 0.4}, {3, 4, 5, 6}),
      record("failed: boom", {9, 9}, {9, 9, 9, 9}),
  };
  const SweepPointStatistics statistics = point_statistics(replicates, 2);
  CHECK(statistics.runs_ok == 2);
  REQUIRE(statistics.metrics.size() == 2);
  CHECK(statistics.metrics[0][0][0] == Approx(0.2));       // mean of 0.1, 0.3
  CHECK(statistics.metrics[0][0][1] == Approx(0.3));
  CHECK(statistics.metrics[1][0] == std::vector<double>{2, 3, 4, 5});
  CHECK(statistics.metrics[1][3] == std::vector<double>{2, 3, 4, 5});  // median of two
  CHECK(statistics.metrics[1][1][0] == Approx(std::sqrt(2.0)));
  CHECK(statistics.metrics[0][2][0] == Approx(0.1 + 0.05 * 0.2));       // q05
}

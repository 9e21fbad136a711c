#pragma once
// Progress on stderr: units done (a sweep's runs, a run's quarters), rate and time left. On a
// terminal, one line redrawn at most ten times a second; otherwise (a log, CI) a plain line at every
// 10%. `policysim sweep` and `policysim run` (for runs expected to take more than about 2 s) use it.
#include <chrono>
#include <cstddef>
#include <mutex>
#include <ostream>
#include <string>

namespace policysim::sweep {

class Progress {
 public:
  // `done` runs are finished already (a resumed sweep); the rate counts this session's runs.
  // `enabled` false (--quiet) prints nothing.
  // `what` names the job ("sweep", "run") and `unit` what is counted ("runs", "quarters").
  Progress(std::size_t total, std::size_t done, bool enabled, std::ostream& out, bool terminal,
           std::string what = "sweep", std::string unit = "runs");
  // Thread-safe.
  void advance(std::size_t runs = 1);
  // Ends the bar's line (terminal).
  void finish();
  std::size_t done() const;

 private:
  void print(bool force);
  mutable std::mutex mutex_;
  std::size_t total_, done_, done_at_start_;
  bool enabled_, terminal_;
  std::ostream& out_;
  std::string what_, unit_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  std::size_t next_tenth_ = 1;
  bool drawn_ = false;
};

// "1:05" or "12 s".
std::string format_duration(double seconds);

}  // namespace policysim::sweep

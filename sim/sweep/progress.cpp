#include "sim/sweep/progress.hpp"

#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

namespace policysim::sweep {

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto whole = static_cast<long long>(std::llround(seconds));
  char text[32];
  if (seconds < 9.95) std::snprintf(text, sizeof text, "%.1f s", seconds);
  else if (whole < 60) std::snprintf(text, sizeof text, "%lld s", whole);
  else if (whole < 3600) std::snprintf(text, sizeof text, "%lld:%02lld", whole / 60, whole % 60);
  else std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", whole / 3600, whole / 60 % 60, whole % 60);
  return text;
}

Progress::Progress(std::size_t total, std::size_t done, bool enabled, std::ostream& out, bool terminal,
                   std::string what, std::string unit)
    : total_(total), done_(done), done_at_start_(done), enabled_(enabled && total > 0), terminal_(terminal), out_(out),
      what_(std::move(what)), unit_(std::move(unit)), start_(std::chrono::steady_clock::now()), last_draw_(start_) {
  if (total_ > 0) next_tenth_ = done_ * 10 / total_ + 1;
  if (enabled_ && terminal_) print(true);
}

void Progress::advance(std::size_t runs) {
  std::lock_guard lock(mutex_);
  done_ += runs;
  if (enabled_) print(false);
}

std::size_t Progress::done() const {
  std::lock_guard lock(mutex_);
  return done_;
}

void Progress::finish() {
  std::lock_guard lock(mutex_);
  if (!enabled_) return;
  if (terminal_) {
    print(true);
    out_ << "\n" << std::flush;
  }
  enabled_ = false;
}

void Progress::print(bool force) {
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const std::size_t session = done_ - done_at_start_;
  const double rate = elapsed > 0 ? static_cast<double>(session) / elapsed : 0.0;
  const double left = rate > 0 ? static_cast<double>(total_ - done_) / rate : NAN;
  char rate_text[32];
  std::snprintf(rate_text, sizeof rate_text, "%.1f", rate);
  if (terminal_) {
    if (!force && done_ < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    constexpr std::size_t kWidth = 30;
    const std::size_t filled = total_ ? done_ * kWidth / total_ : kWidth;
    out_ << "\r" << what_ << " [" << std::string(filled, '#') << std::string(kWidth - filled, '.') << "] " << done_
         << "/" << total_ << " " << unit_ << "  " << rate_text << " " << unit_ << "/s  " << (done_ < total_ ? format_duration(left) + " left" : "done")
         << "   " << std::flush;
    drawn_ = true;
    return;
  }
  // A line at each 10% crossed.
  if (done_ * 10 < next_tenth_ * total_ && !force) return;
  while (next_tenth_ <= 10 && next_tenth_ * total_ <= done_ * 10) ++next_tenth_;
  out_ << what_ << ": " << done_ << "/" << total_ << " " << unit_ << " (" << done_ * 100 / total_ << "%), " << rate_text
       << " " << unit_ << "/s, " << (done_ < total_ ? "about " + format_duration(left) + " left" : "done") << "\n"
       << std::flush;
}

}  // namespace policysim::sweep

#pragma once
// A what-if's values that a later event silently undoes. A student who writes
// `--set governments.ISR.china_ties=0.8`, or an event "Israel deepens its China ties in 2016" in a
// file that extends the baseline, expects it to hold; an inherited event that later sets the same
// attribute of the same agent to an absolute value (the baseline's chinese_5g_bids, 2019Q1)
// replaces it. Nothing is wrong with the input, so these are warnings, each naming the file and
// line of the value and of the event. `[shifts]` (sim/scenario/build.cpp) moves a whole path instead.
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "sim/scenario/document.hpp"

namespace policysim {

// One value of the what-if and one later event that overwrites it.
struct Overwrite {
  std::string key;          // "governments.ISR.china_ties", or the overwritten event's value, "events.x.value"
  std::string value_text;   // "0.8 (governments.ISR.china_ties)", for the message
  std::string file;         // where the what-if gives the value ("--set": line 0)
  int line = 0;
  std::string event;        // the overwriting event's name
  std::string period;       // its quarter, "2019Q1"
  std::string event_value;  // what it sets, "china_ties 0.5"
  std::string event_file;
  int event_line = 0;
  std::string remedy;       // how to get the intended path instead

  ScenarioIssue warning() const;  // "warning: FILE:LINE: KEY: ... (EVENT_FILE:EVENT_LINE ...)"
};

// The what-if's own entries: those not from a file of the chain (--set, --seed, a sweep's values),
// and, when the named file extends another, those of the named file.
bool is_what_if_entry(const DocumentEntry& entry, std::span<const std::string> chain);

// Every (what-if value, later inherited event) pair where the event sets, to an absolute value,
// what the value gave: an initial government attribute or leader, or the value of one of the
// what-if's own events. Events the what-if itself gives or changes are its own choice and never
// reported as overwriting; events after the last simulated quarter do not happen.
std::vector<Overwrite> find_overwrites(const Document& document, const Scenario& scenario,
                                       const std::function<bool(const DocumentEntry&)>& what_if);

}  // namespace policysim

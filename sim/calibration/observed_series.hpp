#pragma once
// Observed series for `policysim score` (docs/validation.md, "Scoring against observed series"): a
// long CSV with the header `measure,from,to,period,value` (further columns, e.g. `source`, are
// kept as text and otherwise ignored; blank lines and lines starting with '#' are skipped).
//
//   measure  a pair measure of the measure catalogue (sim/measures/catalogue.cpp), read from agent
//            `from` to agent `to` (for a mutual layer or milestone either order gives the same value)
//   period   a year ("2012": the measure's yearly summary, YearSummary of the catalogue: the mean of
//            the four end-of-quarter states, the count over the four quarters, or the state at the
//            end of the year) or a quarter ("2012Q3": the value after that quarter's step)
//   value    the observed number
//
// A series is the rows of one (measure, from, to); its rows dated up to kLastTrainingYear
// (sim/calibration/validation_split.hpp) are its training rows, the later ones its test rows.
// No TOML and no runs here: the reader checks the text and the names against the catalogue and
// the scenario's agents, and throws ScenarioError (file:line: column: what was expected).
#include <filesystem>
#include <string>
#include <vector>

#include "sim/description/scenario.hpp"
#include "sim/model/calendar.hpp"
#include "sim/measures/measure.hpp"

namespace policysim::calibration {

struct ObservedRow {
  int line = 0;             // in the file
  bool quarterly = false;   // "2012Q3" rather than "2012"
  int year = 0;
  Period quarter{};         // when quarterly
  double value = 0.0;
  std::string source;       // the `source` column, if the file has one
  // The row's date as a decimal year (2012 -> 2012.0, 2012Q3 -> 2012.5), for ordering and growth.
  double time() const { return quarterly ? quarter.decimal_year() : static_cast<double>(year); }
  // Training evidence: dated up to kLastTrainingYear.
  bool training() const;
};

struct ObservedSeries {
  std::string measure;
  std::string from, to;        // agent codes
  int line = 0;                // its first row
  std::vector<ObservedRow> rows;  // in time order
};

struct ObservedFile {
  std::string file;
  std::vector<ObservedSeries> series;  // in order of first appearance
};

// Reads and checks `text` (the contents of `file`, named in messages) against the catalogue and the
// agents of `scenario`. Problems (at most 20 reported): missing or repeated columns, an empty file,
// a row with the wrong number of fields or an unclosed quote, an unknown measure (with "did you
// mean"), a measure that is not a pair measure or does not apply to the scenario (firm measures
// without firms), an unknown agent, from = to, a bad period, a period the scenario does not
// simulate after kLastTrainingYear (its test rows must be simulated; training rows may lie before
// the start, e.g. data to 2009), a value that is not a finite number, the same period twice in a
// series, a series that mixes years and quarters.
ObservedFile read_observed(const std::string& text, const std::string& file, const Scenario& scenario);
ObservedFile load_observed(const std::filesystem::path& file, const Scenario& scenario);

}  // namespace policysim::calibration

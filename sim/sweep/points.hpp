#pragma once
// The design points of a sweep: the unit design of design.hpp mapped through each parameter's
// range or list, or the rows of a CSV file (design = "file", e.g. made with scipy.stats.qmc).
#include <vector>

#include "sim/output/sweep_file.hpp"
#include "sim/scenario/document.hpp"
#include "sim/sweep/design.hpp"
#include "sim/sweep/spec.hpp"

namespace policysim::sweep {

struct SweepDesign {
  std::size_t points = 0;
  std::vector<std::vector<SweepValue>> values;  // [parameter][point]
  UnitDesign unit;                              // Morris and Saltelli bookkeeping (and unit coordinates)
};

// Makes the points of `spec`. For a file design without declared parameters, the CSV's columns
// become spec.parameters (kinds from the scenario `document`). Appends problems to `issues`.
SweepDesign make_design(SweepSpec& spec, const Document& document, std::vector<ScenarioIssue>& issues);

// CSV text -> design (exposed for tests). Rows: a header of key paths, then one point per line;
// blank lines and lines starting with '#' are skipped; fields may be double-quoted.
SweepDesign read_points_csv(const std::string& text, const std::string& csv_name, SweepSpec& spec,
                            const Document& document, std::vector<ScenarioIssue>& issues);

// The design as CSV text that read_points_csv reads back to the same values.
std::string write_points_csv(const SweepSpec& spec, const SweepDesign& design);

}  // namespace policysim::sweep

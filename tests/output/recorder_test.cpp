// The HDF5 recorder: round trip through the HDF5 C API, layout rules, failure safety.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <hdf5_hl.h>

#include "sim/measures/measure.hpp"
#include "sim/output/hdf5_handle.hpp"
#include "sim/output/recorder.hpp"
#include "sim/output/schema.hpp"
#include "sim/scenario/load.hpp"
#include "tests/output/tiny_scenario.hpp"
#include "tests/support/start_world.hpp"

using namespace policysim;
namespace fs = std::filesystem;

namespace {

// A fresh, empty folder for one test case.
fs::path fresh_folder(const std::string& name) {
  const fs::path folder = fs::path(POLICYSIM_TEST_TMP) / "output" / name;
  fs::remove_all(folder);
  fs::create_directories(folder);
  return folder;
}

std::vector<std::string> entries_of(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.push_back(entry.path().filename().string());
  return names;
}

RunProvenance test_provenance() { return {"policysim run scenarios/tiny.toml --out run.h5", "9.9.9-test"}; }

// What a run of the tiny scenario recorded, kept to compare with what the file holds.
struct RecordedRun {
  Scenario scenario;
  std::vector<World> worlds;
  std::vector<std::vector<Milestone>> step_milestones;  // by row: those of the step that led to it
  std::vector<AppliedEvent> events;
  std::vector<Milestone> milestones;
};

RecordedRun write_tiny_run(const fs::path& target, int steps, bool with_pairs = true) {
  RecordedRun run{test::tiny_scenario(with_pairs), {}, {}, {}, {}};
  Hdf5Recorder recorder(target, run.scenario, test_provenance());
  World world = testing::start_world(run.scenario);
  const auto record = [&](std::vector<Milestone> milestones) {
    run.worlds.push_back(world);
    run.step_milestones.push_back(milestones);
    recorder.record(world, run.step_milestones.back());
  };
  record({});
  for (int step = 0; step < steps; ++step) {
    const auto events = test::events_of_quarter(world);
    const auto milestones = test::milestones_of_quarter(world);
    world = test::advance(world);
    recorder.record_events(events);
    recorder.record_milestones(milestones);
    run.events.insert(run.events.end(), events.begin(), events.end());
    run.milestones.insert(run.milestones.end(), milestones.begin(), milestones.end());
    record(milestones);
  }
  recorder.commit();
  return run;
}

// ---- reading back with the HDF5 C API -----------------------------------------------------

hdf5::File open_file(const fs::path& path) {
  hdf5::File file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  REQUIRE(file.valid());
  return file;
}

hdf5::Dataset open_dataset(hid_t file, const std::string& path) {
  hdf5::Dataset dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT));
  INFO(path);
  REQUIRE(dataset.valid());
  return dataset;
}

std::vector<hsize_t> shape_of(hid_t dataset) {
  const hdf5::Dataspace space(H5Dget_space(dataset));
  std::vector<hsize_t> shape(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space.get())));
  H5Sget_simple_extent_dims(space.get(), shape.data(), nullptr);
  return shape;
}

std::vector<hsize_t> max_shape_of(hid_t dataset) {
  const hdf5::Dataspace space(H5Dget_space(dataset));
  std::vector<hsize_t> shape(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space.get())));
  std::vector<hsize_t> max_shape(shape.size());
  H5Sget_simple_extent_dims(space.get(), shape.data(), max_shape.data());
  return max_shape;
}

std::size_t element_count(hid_t dataset) {
  const hdf5::Dataspace space(H5Dget_space(dataset));
  return static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get()));
}

template <class T>
std::vector<T> read_numbers(hid_t file, const std::string& path, hid_t memory_type) {
  const hdf5::Dataset dataset = open_dataset(file, path);
  std::vector<T> values(element_count(dataset.get()));
  if (!values.empty()) REQUIRE(H5Dread(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
  return values;
}

std::vector<double> read_doubles(hid_t file, const std::string& path) {
  return read_numbers<double>(file, path, H5T_NATIVE_DOUBLE);
}

hdf5::Datatype utf8_type() {
  hdf5::Datatype type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  return type;
}

std::vector<std::string> read_texts(hid_t file, const std::string& path) {
  const hdf5::Dataset dataset = open_dataset(file, path);
  const hdf5::Datatype type = utf8_type();
  std::vector<char*> pointers(element_count(dataset.get()), nullptr);
  std::vector<std::string> texts;
  if (pointers.empty()) return texts;
  REQUIRE(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()) >= 0);
  for (const char* pointer : pointers) texts.emplace_back(pointer == nullptr ? "" : pointer);
  const hdf5::Dataspace space(H5Dget_space(dataset.get()));
  H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, pointers.data());
  return texts;
}

std::string read_text_attribute(hid_t object, const std::string& name) {
  INFO("attribute " << name);
  REQUIRE(H5Aexists(object, name.c_str()) > 0);
  const hdf5::Attribute attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT));
  const hdf5::Datatype stored(H5Aget_type(attribute.get()));
  REQUIRE(H5Tis_variable_str(stored.get()) > 0);
  const hdf5::Datatype type = utf8_type();
  char* pointer = nullptr;
  REQUIRE(H5Aread(attribute.get(), type.get(), &pointer) >= 0);
  std::string text(pointer == nullptr ? "" : pointer);
  H5free_memory(pointer);
  return text;
}

// The name of the dimension scale attached to `axis` of `dataset` (empty when none).
std::string scale_name(hid_t dataset, unsigned axis) {
  std::string name;
  H5DSiterate_scales(
      dataset, axis, nullptr,
      [](hid_t, unsigned, hid_t scale, void* out) -> herr_t {
        char buffer[64] = {};
        H5DSget_scale_name(scale, buffer, sizeof buffer);
        *static_cast<std::string*>(out) = buffer;
        return 1;
      },
      &name);
  return name;
}

std::vector<std::string> dims_of(hid_t file, const std::string& path) {
  const hdf5::Dataset dataset = open_dataset(file, path);
  std::vector<std::string> dims;
  if (H5DSis_scale(dataset.get()) > 0) {
    char buffer[64] = {};
    H5DSget_scale_name(dataset.get(), buffer, sizeof buffer);
    return {buffer};
  }
  for (unsigned axis = 0; axis < shape_of(dataset.get()).size(); ++axis) dims.push_back(scale_name(dataset.get(), axis));
  return dims;
}

std::vector<std::string> all_dataset_paths(hid_t file) {
  std::vector<std::string> paths;
  H5Ovisit(
      file, H5_INDEX_NAME, H5_ITER_NATIVE,
      [](hid_t, const char* name, const H5O_info_t* object, void* out) -> herr_t {
        if (object->type == H5O_TYPE_DATASET) static_cast<std::vector<std::string>*>(out)->push_back(name);
        return 0;
      },
      &paths);
  return paths;
}

bool has_filter(hid_t dataset, H5Z_filter_t filter) {
  const hdf5::PropertyList properties(H5Dget_create_plist(dataset));
  return H5Pget_filter_by_id2(properties.get(), filter, nullptr, nullptr, nullptr, 0, nullptr, nullptr) >= 0;
}

const std::vector<std::string> kTimeGroups = {"ties", "state", "metrics", "pairs"};

}  // namespace

TEST_CASE("a recorded run reads back exactly through the HDF5 C API", "[output]") {
  const fs::path folder = fresh_folder("round_trip");
  const fs::path target = folder / "run.h5";
  const RecordedRun run = write_tiny_run(target, 4);
  REQUIRE(run.events.size() == 3);
  REQUIRE(run.worlds.size() == 5);
  const auto rows = run.worlds.size();
  const std::size_t n = 3;

  // Only the target is left in the folder: the temporary file was renamed into place.
  CHECK(entries_of(folder) == std::vector<std::string>{"run.h5"});
  const hdf5::QuietErrors quiet;
  const hdf5::File file = open_file(target);
  const hid_t f = file.get();

  SECTION("root attributes and provenance") {
    CHECK(read_text_attribute(f, "title") == "policysim run");
    CHECK(read_text_attribute(f, "policysim_version") == "9.9.9-test");
    CHECK(read_text_attribute(f, "scenario_file") == "scenarios/tiny.toml");
    CHECK(read_text_attribute(f, "command_line") == "policysim run scenarios/tiny.toml --out run.h5");
    CHECK(read_text_attribute(f, "start_period") == "2014Q3");
    std::uint64_t seed = 0;
    const hdf5::Attribute seed_attribute(H5Aopen(f, "seed", H5P_DEFAULT));
    REQUIRE(H5Aread(seed_attribute.get(), H5T_NATIVE_UINT64, &seed) >= 0);
    CHECK(seed == 42);

    CHECK(read_texts(f, "/provenance/scenario_resolved") == std::vector<std::string>{run.scenario.resolved_toml});
    CHECK(read_texts(f, "/provenance/scenario_file") == std::vector<std::string>{"scenarios/tiny.toml"});
    CHECK(read_texts(f, "/provenance/extends_chain") == run.scenario.chain);
    CHECK(dims_of(f, "/provenance/extends_chain") == std::vector<std::string>{"chain"});
    CHECK(read_texts(f, "/provenance/command_line") == std::vector<std::string>{test_provenance().command_line});
    CHECK(read_texts(f, "/provenance/program_version") == std::vector<std::string>{"9.9.9-test"});
    CHECK(read_numbers<std::uint64_t>(f, "/provenance/seed", H5T_NATIVE_UINT64) == std::vector<std::uint64_t>{42});
  }

  SECTION("agents") {
    CHECK(read_texts(f, "/agents/agent") == std::vector<std::string>{"EU", "ISR", "JPN"});
    CHECK(read_texts(f, "/agents/name") == std::vector<std::string>{"European Union", "Israel", "Japan"});
    CHECK(read_texts(f, "/agents/kind") == std::vector<std::string>{"organisation", "country", "country"});
    CHECK(read_texts(f, "/agents/initial_leader") == std::vector<std::string>{"", "Netanyahu", "Abe"});
    CHECK(read_numbers<std::uint32_t>(f, "/agents/stable_id", H5T_NATIVE_UINT32) ==
          std::vector<std::uint32_t>{stable_id_of("EU"), stable_id_of("ISR"), stable_id_of("JPN")});
    for (std::size_t k = 0; k < kGovernmentAttributeCount; ++k) {
      const GovernmentAttribute& attribute = kGovernmentAttributes[k];
      const std::string path = "/agents/" + std::string(attribute.name);
      std::vector<double> expected;
      for (const Government& government : run.scenario.governments) expected.push_back(government.attributes[k]);
      INFO(path);
      CHECK(read_doubles(f, path) == expected);
      CHECK(dims_of(f, path) == std::vector<std::string>{"agent"});
      const hdf5::Dataset dataset = open_dataset(f, path);
      CHECK(read_text_attribute(dataset.get(), "long_name") == attribute.doc);
      CHECK(read_text_attribute(dataset.get(), "source") == attribute.source);
    }
  }

  SECTION("every time group has its own time axis with the quarters recorded") {
    for (const std::string& group : kTimeGroups) {
      INFO(group);
      // A CF time coordinate: days from 2014-07-01 (the start of 2014Q3) to 2014-10-01, 2015-01-01, ...
      CHECK(read_doubles(f, "/" + group + "/time") == std::vector<double>{0, 92, 184, 274, 365});
      const hdf5::Dataset time = open_dataset(f, "/" + group + "/time");
      CHECK(read_text_attribute(time.get(), "units") == "days since 2014-07-01");
      CHECK(read_text_attribute(time.get(), "calendar") == "standard");
      CHECK(read_doubles(f, "/" + group + "/year") == std::vector<double>{2014.5, 2014.75, 2015.0, 2015.25, 2015.5});
      CHECK(dims_of(f, "/" + group + "/year") == std::vector<std::string>{"time"});
      CHECK(read_texts(f, "/" + group + "/period_label") ==
            std::vector<std::string>{"2014Q3", "2014Q4", "2015Q1", "2015Q2", "2015Q3"});
      CHECK(dims_of(f, "/" + group + "/period_label") == std::vector<std::string>{"time"});
    }
  }

  SECTION("ties: [time, agent, partner] in C order, trade stays directed") {
    CHECK(read_texts(f, "/ties/agent") == std::vector<std::string>{"EU", "ISR", "JPN"});
    CHECK(read_texts(f, "/ties/partner") == std::vector<std::string>{"EU", "ISR", "JPN"});
    for (Layer layer : kAllLayers) {
      const std::string path = "/ties/" + std::string(name_of(layer));
      INFO(path);
      const hdf5::Dataset dataset = open_dataset(f, path);
      CHECK(shape_of(dataset.get()) == std::vector<hsize_t>{rows, n, n});
      CHECK(dims_of(f, path) == std::vector<std::string>{"time", "agent", "partner"});
      CHECK(read_text_attribute(dataset.get(), "units") == info(layer).units);
      CHECK(read_text_attribute(dataset.get(), "long_name") == info(layer).long_name);
      const std::vector<double> values = read_doubles(f, path);
      std::vector<double> expected;
      for (const World& world : run.worlds)
        for (std::size_t i = 0; i < n; ++i)
          for (std::size_t j = 0; j < n; ++j)
            expected.push_back(world.layer(layer)(static_cast<long>(i), static_cast<long>(j)));
      CHECK(values == expected);
    }
    // ISR (row 1) exports 1200 to JPN (column 2) at the start; JPN exports 1800.5 to ISR.
    const std::vector<double> trade = read_doubles(f, "/ties/trade");
    CHECK(trade[1 * n + 2] == 1200.0);
    CHECK(trade[2 * n + 1] == 1800.5);
  }

  SECTION("state: leaders, China ties, cyber threat and third-party pressure per quarter") {
    std::vector<std::string> leaders;
    std::vector<double> china_ties, cyber_threat, cyber_threat_level, third_party_pressure;
    for (const World& world : run.worlds)
      for (std::size_t i = 0; i < n; ++i) {
        leaders.push_back(world.leader[i]);
        china_ties.push_back(world.attribute(GovernmentAttributeId::ChinaTies)[static_cast<long>(i)]);
        cyber_threat.push_back(world.attribute(GovernmentAttributeId::CyberThreat)[static_cast<long>(i)]);
        cyber_threat_level.push_back(world.attribute(GovernmentAttributeId::CyberThreatLevel)[static_cast<long>(i)]);
        third_party_pressure.push_back(world.attribute(GovernmentAttributeId::ThirdPartyPressure)[static_cast<long>(i)]);
      }
    CHECK(read_texts(f, "/state/leader") == leaders);
    CHECK(read_texts(f, "/state/leader")[2 * n + 2] == "Suga");
    CHECK(read_doubles(f, "/state/china_ties") == china_ties);
    CHECK(read_doubles(f, "/state/cyber_threat") == cyber_threat);
    CHECK(read_doubles(f, "/state/cyber_threat_level") == cyber_threat_level);
    CHECK(read_doubles(f, "/state/cyber_threat_level")[2] == 0.375);  // JPN, from its attribute
    CHECK(read_doubles(f, "/state/third_party_pressure") == third_party_pressure);
    CHECK(read_doubles(f, "/state/third_party_pressure")[2] == 0.75);           // JPN at the start
    CHECK(read_doubles(f, "/state/third_party_pressure")[3 * n + 2] == 0.25);   // after the third step
    for (const char* name : {"leader", "china_ties", "cyber_threat", "cyber_threat_level", "third_party_pressure"})
      CHECK(dims_of(f, "/state/" + std::string(name)) == std::vector<std::string>{"time", "agent"});
    // Every attribute of the catalogue, each with its /state long_name (the doc when it has none).
    for (std::size_t k = 0; k < kGovernmentAttributeCount; ++k) {
      const GovernmentAttribute& attribute = kGovernmentAttributes[k];
      const std::string path = "/state/" + std::string(attribute.name);
      INFO(path);
      std::vector<double> expected;
      for (const World& world : run.worlds)
        for (std::size_t i = 0; i < n; ++i) expected.push_back(world.attributes[k][static_cast<long>(i)]);
      CHECK(read_doubles(f, path) == expected);
      CHECK(dims_of(f, path) == std::vector<std::string>{"time", "agent"});
      const hdf5::Dataset dataset = open_dataset(f, path);
      CHECK(read_text_attribute(dataset.get(), "long_name") ==
            (attribute.state_long_name.empty() ? attribute.doc : attribute.state_long_name));
      CHECK(read_text_attribute(dataset.get(), "units") == "1");
    }
    // The long_names of the datasets /state had before it looped over the catalogue, word for word.
    CHECK(read_text_attribute(open_dataset(f, "/state/china_ties").get(), "long_name") ==
          "depth of economic and security ties with China, in [0, 1] (changed by events)");
    CHECK(read_text_attribute(open_dataset(f, "/state/third_party_pressure").get(), "long_name") ==
          "hold of a third party's objection on the government's ties, in [0, 1] (changed by events)");
  }

  SECTION("pairs: one [time, agent, partner] dataset per pair attribute") {
    CHECK(read_texts(f, "/pairs/agent") == std::vector<std::string>{"EU", "ISR", "JPN"});
    CHECK(read_texts(f, "/pairs/partner") == std::vector<std::string>{"EU", "ISR", "JPN"});
    for (std::size_t k = 0; k < kPairAttributeCount; ++k) {
      const std::string path = "/pairs/" + std::string(kPairAttributes[k].name);
      INFO(path);
      std::vector<double> expected;
      for (const World& world : run.worlds)
        for (std::size_t i = 0; i < n; ++i)
          for (std::size_t j = 0; j < n; ++j)
            expected.push_back(world.pair_attributes[k](static_cast<long>(i), static_cast<long>(j)));
      CHECK(read_doubles(f, path) == expected);
      CHECK(dims_of(f, path) == std::vector<std::string>{"time", "agent", "partner"});
      const hdf5::Dataset dataset = open_dataset(f, path);
      CHECK(read_text_attribute(dataset.get(), "units") == "1");
      CHECK(read_text_attribute(dataset.get(), "long_name") == kPairAttributes[k].doc);
      CHECK(read_text_attribute(dataset.get(), "source") == kPairAttributes[k].source);
    }
    // ISR-JPN vote agreement 0.375 in both directions; EU-JPN spurned 0.5 from the row after step 3.
    const std::vector<double> votes = read_doubles(f, "/pairs/un_vote_agreement");
    CHECK(votes[1 * n + 2] == 0.375);
    CHECK(votes[2 * n + 1] == 0.375);
    CHECK(votes[0 * n + 1] == 0.5);  // EU-ISR: the catalogue default
    const std::vector<double> spurned = read_doubles(f, "/pairs/spurned");
    CHECK(spurned[2 * n * n + 0 * n + 2] == 0.0);
    CHECK(spurned[3 * n * n + 0 * n + 2] == 0.5);
    CHECK(spurned[3 * n * n + 2 * n + 0] == 0.5);
  }

  SECTION("milestones: one entry per milestone, pairs in the order of [output] pairs") {
    CHECK(read_numbers<std::int64_t>(f, "/milestones/milestone", H5T_NATIVE_INT64) == std::vector<std::int64_t>{0, 1, 2});
    CHECK(read_texts(f, "/milestones/period_label") == std::vector<std::string>{"2014Q3", "2015Q1", "2015Q1"});
    CHECK(read_doubles(f, "/milestones/milestone_time") == std::vector<double>{2014.5, 2015.0, 2015.0});
    // The tiny scenario's pairs of interest are JPN-ISR and ISR-EU (its /metrics/pair): the milestones
    // of those pairs read the same, though the dynamics log them by slot (ISR, JPN) and (EU, ISR).
    CHECK(read_texts(f, "/metrics/pair") == std::vector<std::string>{"JPN-ISR", "ISR-EU"});
    CHECK(read_texts(f, "/milestones/pair_label") == std::vector<std::string>{"JPN-ISR", "ISR-EU", "JPN-ISR"});
    CHECK(read_texts(f, "/milestones/pair_agent") == std::vector<std::string>{"JPN", "ISR", "JPN"});
    CHECK(read_texts(f, "/milestones/pair_partner") == std::vector<std::string>{"ISR", "EU", "ISR"});
    CHECK(read_texts(f, "/milestones/kind") == std::vector<std::string>{"dialogue_held", "dialogue_held", "mou_signed"});
    CHECK(read_doubles(f, "/milestones/strength") == std::vector<double>{0.5, 0.625, 0.25});
    for (const char* name : {"period_label", "milestone_time", "pair_label", "pair_agent", "pair_partner", "kind",
                             "strength"})
      CHECK(dims_of(f, "/milestones/" + std::string(name)) == std::vector<std::string>{"milestone"});
    const hdf5::Dataset strength = open_dataset(f, "/milestones/strength");
    CHECK(has_filter(strength.get(), H5Z_FILTER_DEFLATE));
  }

  SECTION("metrics: densities, mean strengths and pairs of interest") {
    CHECK(read_texts(f, "/metrics/pair") == std::vector<std::string>{"JPN-ISR", "ISR-EU"});
    CHECK(read_texts(f, "/metrics/pair_agent") == std::vector<std::string>{"JPN", "ISR"});
    CHECK(read_texts(f, "/metrics/pair_partner") == std::vector<std::string>{"ISR", "EU"});
    for (Layer layer : kAllLayers) {
      const std::string prefix = "/metrics/" + std::string(name_of(layer));
      // As the measure catalogue computes them (its values are checked by hand in tests/measures).
      std::vector<double> density, mean_strength, pairs;
      const std::string name(name_of(layer));
      const std::size_t agents = run.scenario.agent_count();
      for (std::size_t t = 0; t < run.worlds.size(); ++t) {
        const MeasureContext context{run.scenario, run.worlds[t], run.step_milestones[t]};
        density.push_back(measure(name + "_density").values(context).at(0));
        mean_strength.push_back(measure(name + "_mean_strength").values(context).at(0));
        const std::vector<double> ties = measure(name).values(context);
        for (const AgentPair& pair : run.scenario.pairs_of_interest) pairs.push_back(ties.at(pair.a * agents + pair.b));
      }
      INFO(prefix);
      CHECK(read_doubles(f, prefix + "_density") == density);
      CHECK(read_doubles(f, prefix + "_mean_strength") == mean_strength);
      CHECK(read_doubles(f, prefix + "_pairs") == pairs);
      CHECK(dims_of(f, prefix + "_pairs") == std::vector<std::string>{"time", "pair"});
      CHECK(dims_of(f, prefix + "_density") == std::vector<std::string>{"time"});
    }
    // JPN-ISR dialogue is the tie JPN -> ISR of each recorded world.
    const std::vector<double> dialogue_pairs = read_doubles(f, "/metrics/dialogue_pairs");
    for (std::size_t t = 0; t < rows; ++t) CHECK(dialogue_pairs[2 * t] == run.worlds[t].layer(Layer::Dialogue)(2, 1));
  }

  SECTION("events: one entry per applied event, UTF-8 intact") {
    CHECK(read_numbers<std::int64_t>(f, "/events/event", H5T_NATIVE_INT64) == std::vector<std::int64_t>{0, 1, 2});
    CHECK(read_texts(f, "/events/period_label") == std::vector<std::string>{"2014Q4", "2015Q1", "2015Q1"});
    CHECK(read_doubles(f, "/events/event_time") == std::vector<double>{2014.75, 2015.0, 2015.0});
    CHECK(read_texts(f, "/events/name") == std::vector<std::string>{"abe_exit", "haifa_port", "solarwinds"});
    CHECK(read_texts(f, "/events/kind") ==
          std::vector<std::string>{"leadership_change", "china_ties", "cyber_incident"});
    CHECK(read_texts(f, "/events/detail")[0] == "JPN leader Abe \xe2\x86\x92 Suga");
    for (const char* name : {"period_label", "event_time", "name", "kind", "detail"})
      CHECK(dims_of(f, "/events/" + std::string(name)) == std::vector<std::string>{"event"});
  }

  SECTION("layout rules hold for every dataset") {
    const std::vector<std::string> paths = all_dataset_paths(f);
    CHECK(paths.size() > 40);
    for (const std::string& path : paths) {
      INFO(path);
      const hdf5::Dataset dataset = open_dataset(f, "/" + path);
      CHECK(H5Aexists(dataset.get(), "units") > 0);
      CHECK(H5Aexists(dataset.get(), "long_name") > 0);
      CHECK_FALSE(read_text_attribute(dataset.get(), "long_name").empty());
      const hdf5::Datatype type(H5Dget_type(dataset.get()));
      CHECK(H5Tget_class(type.get()) != H5T_COMPOUND);
      if (H5Tget_class(type.get()) == H5T_STRING) {
        CHECK(H5Tis_variable_str(type.get()) > 0);  // never fixed-length: netCDF-C crashes on those
        CHECK(H5Tget_cset(type.get()) == H5T_CSET_UTF8);
      }
      // Every axis is named by a dimension scale.
      for (const std::string& dim : dims_of(f, "/" + path)) CHECK_FALSE(dim.empty());

      if (shape_of(dataset.get()).empty()) continue;  // scalars (provenance)
      const bool on_time_axis = path.starts_with("events/") || path.starts_with("milestones/") ||
                                dims_of(f, "/" + path).front() == "time";
      if (!on_time_axis) continue;
      // Time (or event) axis: first, extendible, chunked; numbers compressed.
      CHECK(max_shape_of(dataset.get()).front() == H5S_UNLIMITED);
      const hdf5::PropertyList properties(H5Dget_create_plist(dataset.get()));
      CHECK(H5Pget_layout(properties.get()) == H5D_CHUNKED);
      if (H5Tget_class(type.get()) != H5T_STRING) {
        CHECK(has_filter(dataset.get(), H5Z_FILTER_SHUFFLE));
        CHECK(has_filter(dataset.get(), H5Z_FILTER_DEFLATE));
      }
    }
  }
}

TEST_CASE("a run without pairs of interest, events or rows still has the whole layout", "[output]") {
  const fs::path folder = fresh_folder("empty_axes");
  const fs::path target = folder / "empty.h5";
  const Scenario scenario = test::tiny_scenario(/*with_pairs=*/false);
  {
    Hdf5Recorder recorder(target, scenario, test_provenance());
    recorder.record_events({});
    recorder.commit();
  }
  const hdf5::QuietErrors quiet;
  const hdf5::File file = open_file(target);
  const hid_t f = file.get();
  CHECK(read_doubles(f, "/ties/time").empty());
  CHECK(shape_of(open_dataset(f, "/ties/dialogue").get()) == std::vector<hsize_t>{0, 3, 3});
  CHECK(shape_of(open_dataset(f, "/metrics/trade_pairs").get()) == std::vector<hsize_t>{0, 0});
  CHECK(dims_of(f, "/metrics/trade_pairs") == std::vector<std::string>{"time", "pair"});
  CHECK(shape_of(open_dataset(f, "/events/detail").get()) == std::vector<hsize_t>{0});
  CHECK(shape_of(open_dataset(f, "/milestones/kind").get()) == std::vector<hsize_t>{0});
  CHECK(shape_of(open_dataset(f, "/pairs/un_vote_agreement").get()) == std::vector<hsize_t>{0, 3, 3});
  CHECK(read_texts(f, "/agents/agent") == std::vector<std::string>{"EU", "ISR", "JPN"});
}

TEST_CASE("rows without pairs of interest grow the time axis", "[output]") {
  const fs::path folder = fresh_folder("no_pairs");
  const fs::path target = folder / "run.h5";
  write_tiny_run(target, 2, /*with_pairs=*/false);
  const hdf5::QuietErrors quiet;
  const hdf5::File file = open_file(target);
  CHECK(shape_of(open_dataset(file.get(), "/metrics/dialogue_pairs").get()) == std::vector<hsize_t>{3, 0});
  CHECK(read_doubles(file.get(), "/metrics/year") == std::vector<double>{2014.5, 2014.75, 2015.0});
}

TEST_CASE("a recorder destroyed without commit leaves neither the target nor its temporary file", "[output]") {
  const fs::path folder = fresh_folder("no_commit");
  const fs::path target = folder / "run.h5";
  {
    const Scenario scenario = test::tiny_scenario();
    Hdf5Recorder recorder(target, scenario, test_provenance());
    const World world = testing::start_world(scenario);
    recorder.record(world);
    // While writing, the data goes to a hidden temporary file beside the target.
    const std::vector<std::string> during = entries_of(folder);
    REQUIRE(during.size() == 1);
    CHECK(during[0].starts_with(".run.h5.partial-"));
    CHECK_FALSE(fs::exists(target));
  }
  CHECK(entries_of(folder).empty());
}

TEST_CASE("a non-finite value never reaches the run file: the record fails naming the dataset", "[output]") {
  const fs::path folder = fresh_folder("non_finite");
  const fs::path target = folder / "run.h5";
  const Scenario scenario = test::tiny_scenario();
  for (const double bad : {std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()}) {
    INFO(bad);
    {
      Hdf5Recorder recorder(target, scenario, test_provenance());
      World world = testing::start_world(scenario);
      world.attributes[0][1] = bad;
      CHECK_THROWS_WITH(recorder.record(world),
                        Catch::Contains("/state/" + std::string(government_attributes()[0].name)) &&
                            Catch::Contains("non-finite"));
      CHECK_THROWS_AS(recorder.commit(), OutputError);  // nothing is committed after a failed write
    }
    CHECK(entries_of(folder).empty());
  }
}

TEST_CASE("a failing constructor or record leaves no file and names the target", "[output]") {
  const fs::path folder = fresh_folder("failures");
  const Scenario scenario = test::tiny_scenario();

  SECTION("missing folder") {
    const fs::path target = folder / "missing" / "run.h5";
    CHECK_THROWS_WITH(Hdf5Recorder(target, scenario, test_provenance()),
                      Catch::Contains(target.string()) && Catch::Contains("does not exist"));
  }
  SECTION("the folder is a regular file") {
    std::ofstream(folder / "not_a_folder") << "x";
    const fs::path target = folder / "not_a_folder" / "run.h5";
    CHECK_THROWS_AS(Hdf5Recorder(target, scenario, test_provenance()), OutputError);
    CHECK_THROWS_WITH(Hdf5Recorder(target, scenario, test_provenance()), Catch::Contains(target.string()));
  }
  SECTION("a folder without write permission") {
    const fs::path locked = folder / "locked";
    fs::create_directory(locked);
    fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
    // root may write anywhere: then there is nothing to test here.
    if (::access(locked.c_str(), W_OK) == 0) {
      WARN("running with write access to a read-only folder (root?): permission case not tested");
    } else {
      const fs::path target = locked / "run.h5";
      CHECK_THROWS_WITH(Hdf5Recorder(target, scenario, test_provenance()),
                        Catch::Contains(target.string()) && Catch::Contains("temporary file"));
      CHECK(entries_of(locked).empty());
    }
    fs::permissions(locked, fs::perms::owner_all);
  }
  SECTION("a world that does not match the scenario") {
    const fs::path target = folder / "run.h5";
    Hdf5Recorder recorder(target, scenario, test_provenance());
    World world = testing::start_world(scenario);
    world.layer(Layer::Trade) = TieMatrix::Zero(2, 2);
    CHECK_THROWS_WITH(recorder.record(world), Catch::Contains("trade matrix"));
    World no_pair_attributes = testing::start_world(scenario);
    no_pair_attributes.pair_attributes[0] = TieMatrix::Zero(2, 2);
    CHECK_THROWS_WITH(recorder.record(no_pair_attributes), Catch::Contains("pair attribute"));
    const std::vector<Milestone> outside = {{scenario.simulation.start, 1, 3, MilestoneKind::MouSigned, 0.5}};
    CHECK_THROWS_WITH(recorder.record_milestones(outside), Catch::Contains("agent slot 3 of 3"));
  }
  CHECK_FALSE(fs::exists(folder / "run.h5"));
}

TEST_CASE("commit renames into place, replaces an existing target, and ends the recording", "[output]") {
  const fs::path folder = fresh_folder("commit");
  const fs::path target = folder / "run.h5";
  std::ofstream(target) << "an older file";
  const Scenario scenario = test::tiny_scenario();
  Hdf5Recorder recorder(target, scenario, test_provenance());
  const World world = testing::start_world(scenario);
  recorder.record(world);
  recorder.commit();
  CHECK(entries_of(folder) == std::vector<std::string>{"run.h5"});
  CHECK(H5Fis_hdf5(target.c_str()) > 0);
  CHECK_THROWS_AS(recorder.record(world), OutputError);
  CHECK_THROWS_AS(recorder.commit(), OutputError);
  CHECK(fs::exists(target));  // a misuse after commit does not undo it
}

TEST_CASE("a commit that cannot move the file into place throws and leaves no temporary file", "[output]") {
  const fs::path folder = fresh_folder("failed_commit");
  const fs::path target = folder / "run.h5";
  const Scenario scenario = test::tiny_scenario();
  Hdf5Recorder recorder(target, scenario, test_provenance());
  const World world = testing::start_world(scenario);
  recorder.record(world);
  fs::create_directories(target / "in_the_way");  // a folder appeared where the file goes
  CHECK_THROWS_WITH(recorder.commit(), Catch::Contains(target.string()) && Catch::Contains("into place"));
  CHECK(entries_of(folder) == std::vector<std::string>{"run.h5"});
  CHECK(fs::is_directory(target));
  CHECK_THROWS_WITH(recorder.record(world), Catch::Contains("failed commit"));
}

// /firms: the integer columns (the firm scale, the codes, the members, the fates) chunked and
// deflated plane by plane on the threads, on an axis of fixed length; the attributes drawn at
// random contiguous. Every column reads back exactly, over two whole chunks and a partial one (20,000
// firms, chunks of 8,192), with a few firms bought by the end.
TEST_CASE("the firm table reads back exactly, its codes compressed on a fixed axis, its attributes contiguous",
          "[output]") {
  const fs::path folder = fresh_folder("firm_table");
  const fs::path target = folder / "firms.h5";
  const std::vector<Override> overrides{{"firms.populations.firms.count", "20000"}, {"simulation.steps", "1"}};
  const Scenario scenario =
      load_scenario(fs::path(POLICYSIM_SOURCE_DIR) / "bench" / "tie_formation_small.toml", overrides).scenario;
  const World start = testing::start_world(scenario);
  REQUIRE(start.firms->count() == 20000);
  World last = start;
  last.step = 1;
  last.period = start.period.plus_quarters(1);
  FirmTable fates = *start.firms;
  const std::size_t n = fates.count();
  fates.active.assign(n, 1);
  fates.acquired_by.assign(n, -1);
  fates.acquired_step.assign(n, -1);
  for (const std::size_t bought : {std::size_t{3}, std::size_t{8191}, std::size_t{8192}, std::size_t{19999}}) {
    fates.active[bought] = 0;
    fates.acquired_by[bought] = static_cast<std::int64_t>(bought / 2);
    fates.acquired_step[bought] = 1;
  }
  last.firms = std::make_shared<const FirmTable>(fates);
  {
    Hdf5Recorder recorder(target, scenario, test_provenance());
    recorder.record(start, {});
    recorder.record(last, {});
    recorder.commit();
  }
  const hdf5::QuietErrors quiet;
  const hdf5::File file = open_file(target);
  const hid_t f = file.get();
  const FirmTable& table = *start.firms;
  const auto widened = [](const auto& values) { return std::vector<std::int64_t>(values.begin(), values.end()); };
  std::vector<std::int64_t> firm(n), sector(n);
  for (std::size_t i = 0; i < n; ++i) {
    firm[i] = static_cast<std::int64_t>(i);
    sector[i] = static_cast<std::int64_t>(table.sector[i]);
  }
  const std::vector<std::pair<std::string, std::vector<std::int64_t>>> codes{
      {"firm", firm},
      {"country", widened(table.country)},
      {"sector", sector},
      {"population", std::vector<std::int64_t>(n, 0)},  // the scenario's one population
      {"member", widened(table.member)},
      {"active", widened(fates.active)},
      {"acquired_by", fates.acquired_by},
      {"acquired_period", fates.acquired_step}};
  for (const auto& [name, expected] : codes) {
    INFO(name);
    CHECK(read_numbers<std::int64_t>(f, "/firms/" + name, H5T_NATIVE_INT64) == expected);
    const hdf5::Dataset dataset = open_dataset(f, "/firms/" + name);
    CHECK(max_shape_of(dataset.get()) == std::vector<hsize_t>{n});  // fixed: netCDF's ordinary dimension
    const hdf5::PropertyList properties(H5Dget_create_plist(dataset.get()));
    CHECK(H5Pget_layout(properties.get()) == H5D_CHUNKED);
    CHECK(has_filter(dataset.get(), H5Z_FILTER_SHUFFLE));
    CHECK(has_filter(dataset.get(), H5Z_FILTER_DEFLATE));
    CHECK(H5Dget_storage_size(dataset.get()) < n * 8 / 4);  // long runs, constant high bytes
    CHECK(dims_of(f, "/firms/" + name) == std::vector<std::string>{"firm"});
  }
  for (const auto& [name, expected] : {std::pair{"size", &table.size}, std::pair{"innovation", &table.innovation},
                                       std::pair{"risk_tolerance", &table.risk_tolerance}}) {
    INFO(name);
    CHECK(read_doubles(f, std::string("/firms/") + name) == *expected);
    const hdf5::Dataset dataset = open_dataset(f, std::string("/firms/") + name);
    const hdf5::PropertyList properties(H5Dget_create_plist(dataset.get()));
    CHECK(H5Pget_layout(properties.get()) == H5D_CONTIGUOUS);
    CHECK(dims_of(f, std::string("/firms/") + name) == std::vector<std::string>{"firm"});
  }
}

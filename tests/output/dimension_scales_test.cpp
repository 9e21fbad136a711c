// DimensionScales writes every attachment of a file at once: HDF5's own reader of dimension scales
// (H5DSget_num_scales, H5DSis_attached, H5DSiterate_scales, what h5py and netCDF call) must find
// what H5DSattach_scale (hdf5_write::attach) leaves after the same attachments in the same order.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "sim/output/hdf5_handle.hpp"
#include "sim/output/hdf5_write.hpp"
#include "tests/support/fresh_file.hpp"

using namespace policysim;
namespace fs = std::filesystem;

namespace {

fs::path fresh_file(const std::string& name) { return testing::fresh_file("output/dimension_scales", name); }

hdf5::Dataset make_dataset(hid_t file, const char* name, std::vector<hsize_t> shape) {
  const hdf5::Dataspace space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr));
  return hdf5::Dataset(H5Dcreate2(file, name, H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
}

// Scales time [3], agent [2], partner [2]; datasets x [3, 2, 2], y [3], z [3, 2] (its axis 1 left
// without a scale), w [2]. Attached in this order, x to time twice (the second changes nothing),
// agent to x's axes 1 and 2, `deferred` choosing DimensionScales, written after every handle but
// the file's is closed.
void write_file(const fs::path& path, bool deferred) {
  const hdf5::File file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  hdf5_write::DimensionScales scales;
  {
    const hdf5::Dataset time = make_dataset(file.get(), "time", {3}), agent = make_dataset(file.get(), "agent", {2}),
                        partner = make_dataset(file.get(), "partner", {2});
    hdf5_write::make_scale(time.get(), "time");
    hdf5_write::make_scale(agent.get(), "agent");
    hdf5_write::make_scale(partner.get(), "partner");
    const hdf5::Dataset x = make_dataset(file.get(), "x", {3, 2, 2}), y = make_dataset(file.get(), "y", {3}),
                        z = make_dataset(file.get(), "z", {3, 2}), w = make_dataset(file.get(), "w", {2});
    const auto attach = [&](const hdf5::Dataset& dataset, const hdf5::Dataset& scale, unsigned axis) {
      if (deferred)
        scales.attach(dataset.get(), scale.get(), axis);
      else
        hdf5_write::attach(dataset.get(), scale.get(), axis);
    };
    attach(x, time, 0);
    attach(y, time, 0);
    attach(x, agent, 1);
    attach(x, time, 0);
    attach(x, agent, 2);
    attach(x, partner, 2);
    attach(z, time, 0);
    attach(w, partner, 0);
  }
  if (deferred) scales.write(file.get());
}

herr_t collect_name(hid_t, unsigned, hid_t scale, void* names) {
  char name[64] = "";
  H5Iget_name(scale, name, sizeof name);
  static_cast<std::vector<std::string>*>(names)->push_back(name);
  return 0;
}

// Every dataset's scales by axis, in the order H5DSiterate_scales gives them, and for every
// (dataset, axis, scale) whether H5DSis_attached says so; then each scale's REFERENCE_LIST length.
std::vector<std::string> read_back(const fs::path& path) {
  const hdf5::File file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  std::vector<std::string> seen;
  const std::vector<std::pair<const char*, int>> datasets = {{"x", 3}, {"y", 1}, {"z", 2}, {"w", 1}};
  for (const auto& [name, rank] : datasets) {
    const hdf5::Dataset dataset(H5Dopen2(file.get(), name, H5P_DEFAULT));
    for (int axis = 0; axis < rank; ++axis) {
      std::vector<std::string> names;
      const int count = H5DSget_num_scales(dataset.get(), static_cast<unsigned>(axis));
      if (count > 0) REQUIRE(H5DSiterate_scales(dataset.get(), static_cast<unsigned>(axis), nullptr, collect_name, &names) >= 0);
      std::string line = std::string(name) + "[" + std::to_string(axis) + "] " + std::to_string(count) + ":";
      for (const std::string& scale : names) line += " " + scale;
      for (const char* scale_name : {"time", "agent", "partner"}) {
        const hdf5::Dataset scale(H5Dopen2(file.get(), scale_name, H5P_DEFAULT));
        line += H5DSis_attached(dataset.get(), scale.get(), static_cast<unsigned>(axis)) > 0 ? " +" : " -";
      }
      seen.push_back(line);
    }
  }
  for (const char* scale_name : {"time", "agent", "partner"}) {
    const hdf5::Dataset scale(H5Dopen2(file.get(), scale_name, H5P_DEFAULT));
    const hdf5::Attribute list(H5Aopen(scale.get(), "REFERENCE_LIST", H5P_DEFAULT));
    const hdf5::Dataspace space(H5Aget_space(list.get()));
    seen.push_back(std::string(scale_name) + " referred by " + std::to_string(H5Sget_simple_extent_npoints(space.get())) +
                   (H5DSis_scale(scale.get()) > 0 ? ", a scale" : ", not a scale"));
  }
  return seen;
}

}  // namespace

TEST_CASE("dimension scales attached together read back as attached one by one", "[output]") {
  const fs::path one_by_one = fresh_file("one_by_one.h5"), together = fresh_file("together.h5");
  write_file(one_by_one, false);
  write_file(together, true);
  const std::vector<std::string> expected = read_back(one_by_one);
  // What H5DSattach_scale left, spelled out (so that both cannot agree on nothing): x's second
  // attachment to time is not listed again on x, but is in time's REFERENCE_LIST.
  CHECK(expected == std::vector<std::string>{"x[0] 1: /time + - -", "x[1] 1: /agent - + -",
                                             "x[2] 2: /agent /partner - + +", "y[0] 1: /time + - -",
                                             "z[0] 1: /time + - -", "z[1] 0: - - -", "w[0] 1: /partner - - +",
                                             "time referred by 4, a scale", "agent referred by 2, a scale",
                                             "partner referred by 2, a scale"});
  CHECK(read_back(together) == expected);
}

TEST_CASE("a dimension scale attached past a dataset's axes is refused", "[output]") {
  const fs::path path = fresh_file("past_axes.h5");
  const hdf5::File file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  const hdf5::Dataset time = make_dataset(file.get(), "time", {3}), y = make_dataset(file.get(), "y", {3});
  hdf5_write::make_scale(time.get(), "time");
  hdf5_write::DimensionScales scales;
  CHECK_THROWS_AS(scales.attach(y.get(), time.get(), 1), hdf5_write::Failure);
}

#pragma once
// Small helpers for writing HDF5 files the way policysim's layouts want them (docs/output.md,
// docs/sweeps.md): checked calls, variable-length UTF-8 text, `units` / `long_name` attributes,
// groups with tracked creation order. Shared by the run recorder and the sweep file writer.
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <hdf5.h>

#include "sim/output/hdf5_handle.hpp"
#include "sim/output/schema.hpp"

namespace policysim::hdf5_write {

// Internal failure of an HDF5 call; the writers add their target path and rethrow it as OutputError.
struct Failure {
  std::string what;
};

std::string str(std::string_view text);

// While one is alive (on this thread), writing a non-finite double (infinity, NaN) to a dataset
// fails with a Failure naming the dataset, before anything of it is written. The run file holds
// finite numbers only (docs/output.md); the sweep file, which marks failed runs with NaN, does
// not use it.
class FiniteOnly {
 public:
  FiniteOnly();
  ~FiniteOnly();
  FiniteOnly(const FiniteOnly&) = delete;
  FiniteOnly& operator=(const FiniteOnly&) = delete;

 private:
  bool previous_;
};

// Under FiniteOnly: throws Failure when `memory_type` is a double and one of `elements` values
// at `data` is not finite; `dataset` names it in the message.
void check_finite(hid_t dataset, hid_t memory_type, const void* data, std::size_t elements);
// The same for values already known to be doubles (is_native_double asked once by the caller).
void check_finite_doubles(hid_t dataset, const double* values, std::size_t elements);

// Whether `type` is the native double: its id compared first with H5T_NATIVE_DOUBLE's (the same
// while the process lives: the library is never closed, kNoHdf5AtExit), H5Tequal only for another
// id. Each appended row asked H5Tequal two or three times (about 750 instructions a call, most of a
// one-step row's cost: about 5% of the medium benchmark's run went to the steps' rows).
bool is_native_double(hid_t type);

// Throw Failure (with HDF5's innermost message) when a call failed.
void check(herr_t status, std::string_view what);
hid_t checked(hid_t id, std::string_view what);

// Variable-length UTF-8: netCDF-C crashes on fixed-length string datasets.
hdf5::Datatype utf8_string_type();
std::vector<const char*> c_strings(const std::vector<std::string>& texts);

void set_text_attribute(hid_t object, std::string_view name, std::string_view value);

template <class T>
void set_number_attribute(hid_t object, std::string_view name, hid_t file_type, hid_t memory_type, T value) {
  const hdf5::Dataspace space(checked(H5Screate(H5S_SCALAR), "creating a scalar dataspace"));
  const std::string attribute_name(name);
  const hdf5::Attribute attribute(
      checked(H5Acreate2(object, attribute_name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
              "creating attribute " + attribute_name));
  check(H5Awrite(attribute.get(), memory_type, &value), "writing attribute " + attribute_name);
}

// The `units` and `long_name` attributes every dataset carries.
void describe(hid_t dataset, std::string_view units, std::string_view long_name);

// Creates (truncates) the file at `path`: links and attributes in tracked, indexed creation order
// (as the groups), and close degree SEMI, so that closing fails if an object were left open
// instead of silently keeping the file open (a leak the tests would otherwise not see).
hdf5::File create_file(const std::string& path);

// A whole HDF5 file written in one go (the compare, estimate, explain and score files): `fill`
// writes into a new file created under a temporary name beside `target`, which is then flushed,
// closed and moved into place (move_all_into_place: without `overwrite` an existing target is never
// replaced). On failure nothing is left at the target and the temporary is removed: a Failure
// becomes an OutputError naming the target, anything else passes through.
void write_whole_file(const std::filesystem::path& target, bool overwrite, const std::function<void(hid_t file)>& fill);

// Links and attributes in creation order (xarray then lists variables in the order written;
// netCDF-C needs tracked orders to be indexed too), and no modification times.
hdf5::PropertyList group_creation_properties();
hdf5::Group create_group(hid_t parent, std::string_view name);

// No modification times in the file: two runs with the same inputs give the same bytes
// (apart from the command line).
hdf5::PropertyList dataset_creation_properties();

// Chunks of about this many bytes (run files and sweep files): big enough for deflate and for
// reading a long time series of one tie, small enough that the default 1 MiB chunk cache holds
// every open chunk.
inline constexpr std::size_t kTargetChunkBytes = 64 * 1024;
// The deflate level of every compressed dataset: a sweep writes much more than a run, and level 4
// cost a quarter more time for files about 1.5% smaller (bench/README.md).
inline constexpr unsigned kDeflateLevel = 1;
// dataset_creation_properties of a dataset of numbers chunked as `chunk`, shuffled and deflated at
// kDeflateLevel (errors name `dataset_name`).
hdf5::PropertyList compressed_dataset_properties(const std::vector<hsize_t>& chunk, const std::string& dataset_name);

// Transfer properties of a write whose elements take up to `element_bytes` (in memory or in the
// file): a type-conversion buffer of 64 KiB, or one element if larger. HDF5 zero-fills its default
// 1 MiB buffer (and as much for the background) on every write that converts, which every text
// write does: a run's few dozen text datasets cost more than its first step that way, and a
// few thousand milestone strings took seconds.
hdf5::PropertyList transfer_properties(std::size_t element_bytes, const std::string& dataset_name);

// A dataset of fixed shape written at once (contiguous), with `units` and `long_name`; `data`
// may be null when the shape holds no element.
hdf5::Dataset create_fixed(hid_t group, std::string_view name, std::string_view units, std::string_view long_name,
                           hid_t file_type, const std::vector<hsize_t>& shape, hid_t memory_type, const void* data);

// The same, named and described by a schema column.
hdf5::Dataset create_fixed(hid_t group, const schema::Column& column, hid_t file_type, const std::vector<hsize_t>& shape,
                           hid_t memory_type, const void* data);

// A [n] text dataset, and a scalar one.
hdf5::Dataset create_text(hid_t group, std::string_view name, std::string_view units, std::string_view long_name,
                          const std::vector<std::string>& texts);
hdf5::Dataset create_text(hid_t group, const schema::Column& column, const std::vector<std::string>& texts);
hdf5::Dataset create_scalar_text(hid_t group, const schema::Column& column, const std::string& text);

// Dimension scales: make a dataset the scale `name`, attach a scale to axis `axis` of a dataset.
void make_scale(hid_t dataset, std::string_view name);
void attach(hid_t dataset, hid_t scale, unsigned axis);

// Attachments of dimension scales written together (write()): each dataset's DIMENSION_LIST and
// each scale's REFERENCE_LIST once, as H5DSattach_scale leaves them after the same attachments in
// the same order (HDF5's Dimension Scale specification; H5DSis_attached, netCDF and h5py read
// them). H5DSattach_scale rereads and rewrites both attributes at every attachment, checking each
// scale already there: a run file's 240 attachments were about 40% of its creation's instructions,
// 2.5 - 3 ms of a small run (docs/performance.md, twenty-second round).
class DimensionScales {
 public:
  // Remembers that `scale` (a dimension scale: make_scale) is attached to axis `axis` of
  // `dataset`; both may be closed before write().
  void attach(hid_t dataset, hid_t scale, unsigned axis);
  // Writes every attachment remembered into `file` (which holds the datasets and scales), then
  // forgets them.
  void write(hid_t file);

 private:
  struct Attachment {
    hobj_ref_t dataset = 0, scale = 0;
    unsigned axis = 0;
    int rank = 0;  // the dataset's
  };
  std::vector<Attachment> attachments_;
};

// A text axis (agent codes, pair labels): a [n] text dataset made the dimension scale of its name.
hdf5::Dataset create_text_scale(hid_t group, const schema::Column& column, const std::vector<std::string>& texts);

}  // namespace policysim::hdf5_write

#include "sim/output/hdf5_write.hpp"

#include <hdf5_hl.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <system_error>

#include "sim/model/thread_shares.hpp"
#include "sim/output/atomic_file.hpp"
#include "sim/output/schema.hpp"

namespace policysim::hdf5_write {

namespace {

// HDF5 closes whatever is still open when the process exits (an atexit handler, H5close). After
// an H5Fclose that failed (a full disk), the file stays registered, and that late close crashes
// (SIGSEGV in H5F__close_cb) or gives up ("infinite loop closing library"). policysim closes
// every object itself and removes a failed file, so it turns the handler off; this must happen
// before the library's first call, hence at static initialisation.
[[maybe_unused]] const bool kNoHdf5AtExit = (H5dont_atexit(), true);

thread_local bool finite_only = false;

}  // namespace

std::string str(std::string_view text) { return std::string(text); }

FiniteOnly::FiniteOnly() : previous_(finite_only) { finite_only = true; }
FiniteOnly::~FiniteOnly() { finite_only = previous_; }

bool is_native_double(hid_t type) {
  static const hid_t native_double = H5T_NATIVE_DOUBLE;
  // The integer types the recorder writes, told apart without a call: H5Tequal takes HDF5's lock and
  // sets the thread's cancel state twice, and check_finite asks for every append of every integer
  // column (about 1 ms of serial time in the large benchmark's run; docs/performance.md,
  // thirty-third round).
  static const hid_t integers[] = {H5T_NATIVE_UINT32, H5T_NATIVE_INT64, H5T_NATIVE_UINT64, H5T_NATIVE_INT32,
                                   H5T_NATIVE_UINT8, H5T_NATIVE_INT8, H5T_NATIVE_UINT16, H5T_NATIVE_INT16};
  if (type == native_double) return true;
  for (const hid_t integer : integers)
    if (type == integer) return false;
  return H5Tequal(type, native_double) > 0;
}

void check_finite(hid_t dataset, hid_t memory_type, const void* data, std::size_t elements) {
  if (!finite_only || data == nullptr || !is_native_double(memory_type)) return;
  check_finite_doubles(dataset, static_cast<const double*>(data), elements);
}

void check_finite_doubles(hid_t dataset, const double* values, std::size_t elements) {
  if (!finite_only || values == nullptr) return;
  // First a pass without a branch (vector code: a final edge list's millions of weights were 2 ms
  // on one thread), on the run's threads where large (a serial 1 - 2 ms of the large benchmark's end
  // on two threads, docs/performance.md, twenty-ninth round); then, only when it finds one, a search
  // for the first non-finite value.
  constexpr std::uint64_t kExponent = 0x7ff0000000000000ULL;  // all ones: an infinity or a NaN
  // A row of a step's series (a few to a few hundred values, thousands of them a run) is scanned
  // without entering the OpenMP runtime: a parallel region made serial by its `if` still cost a
  // call into libgomp and a team of one each time.
  std::uint64_t non_finite = 0;
  const auto count = static_cast<std::ptrdiff_t>(elements);
  const auto not_finite = [values](std::ptrdiff_t i) {
    std::uint64_t bits;
    std::memcpy(&bits, values + i, sizeof bits);
    return static_cast<std::uint64_t>((bits & kExponent) == kExponent);
  };
  if (worth_threads(elements, std::size_t{1} << 20)) {
#pragma omp parallel for simd reduction(| : non_finite)
    for (std::ptrdiff_t i = 0; i < count; ++i) non_finite |= not_finite(i);
  } else {
#pragma omp simd reduction(| : non_finite)
    for (std::ptrdiff_t i = 0; i < count; ++i) non_finite |= not_finite(i);
  }
  if (non_finite == 0) return;
  for (std::size_t i = 0; i < elements; ++i) {
    if (std::isfinite(values[i])) continue;
    char name[512] = "";
    if (H5Iget_name(dataset, name, sizeof name) < 0) name[0] = '\0';
    throw Failure{"dataset " + std::string(name) + " would hold a non-finite value (" +
                  (std::isnan(values[i]) ? "NaN" : values[i] > 0 ? "inf" : "-inf") + ", element " + std::to_string(i) +
                  "); the run file holds finite numbers only"};
  }
}

void check(herr_t status, std::string_view what) {
  if (status < 0) throw Failure{str(what) + ": " + hdf5::innermost_error()};
}

hid_t checked(hid_t id, std::string_view what) {
  if (id < 0) throw Failure{str(what) + ": " + hdf5::innermost_error()};
  return id;
}

hdf5::Datatype utf8_string_type() {
  hdf5::Datatype type(checked(H5Tcopy(H5T_C_S1), "copying the string type"));
  check(H5Tset_size(type.get(), H5T_VARIABLE), "making the string type variable-length");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "setting the string type to UTF-8");
  return type;
}

std::vector<const char*> c_strings(const std::vector<std::string>& texts) {
  std::vector<const char*> pointers;
  pointers.reserve(texts.size());
  for (const std::string& text : texts) pointers.push_back(text.c_str());
  return pointers;
}

void set_text_attribute(hid_t object, std::string_view name, std::string_view value) {
  const hdf5::Datatype type = utf8_string_type();
  const hdf5::Dataspace space(checked(H5Screate(H5S_SCALAR), "creating a scalar dataspace"));
  const std::string attribute_name(name);
  const hdf5::Attribute attribute(
      checked(H5Acreate2(object, attribute_name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
              "creating attribute " + attribute_name));
  const std::string text(value);
  const char* pointer = text.c_str();
  check(H5Awrite(attribute.get(), type.get(), &pointer), "writing attribute " + attribute_name);
}

void describe(hid_t dataset, std::string_view units, std::string_view long_name) {
  set_text_attribute(dataset, schema::kUnits, units);
  set_text_attribute(dataset, schema::kLongName, long_name);
}

// Links a group keeps in its object header before HDF5 moves them to "dense" storage (a fractal
// heap and two B-trees, the name and the creation-order index): HDF5's default of 8 sent most of a
// run file's groups (metrics has 19 datasets) dense, and building those indexes took 17% of a 1-step
// medium run's CPU (16.6 -> 13.7 ms; docs/performance.md, thirteenth round). The layout only:
// readers (h5py, netCDF-4, hdf5r) see the same links in the same creation order.
constexpr unsigned kCompactLinks = 32, kDenseLinksBelow = 24;

namespace {

// The layout of every group, the root group included (file creation properties are group creation
// properties too): links and attributes in creation order, tracked and indexed (netCDF-4 needs
// both); no access or modification times, so that two runs of the same scenario and seed give
// byte-identical files (`cmp`; datasets turn them off too); links kept compact.
void set_group_layout(hid_t properties) {
  check(H5Pset_link_creation_order(properties, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "tracking link creation order");
  check(H5Pset_attr_creation_order(properties, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "tracking attribute creation order");
  check(H5Pset_obj_track_times(properties, false), "turning off object times");
  check(H5Pset_link_phase_change(properties, kCompactLinks, kDenseLinksBelow), "keeping links compact");
}

}  // namespace

hdf5::File create_file(const std::string& path) {
  hdf5::PropertyList creation(checked(H5Pcreate(H5P_FILE_CREATE), "creating file properties"));
  set_group_layout(creation.get());
  hdf5::PropertyList access(checked(H5Pcreate(H5P_FILE_ACCESS), "creating file access properties"));
  check(H5Pset_fclose_degree(access.get(), H5F_CLOSE_SEMI), "setting the close degree");
  return hdf5::File(checked(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, creation.get(), access.get()),
                            "cannot create the temporary file " + path));
}

hdf5::PropertyList group_creation_properties() {
  hdf5::PropertyList properties(checked(H5Pcreate(H5P_GROUP_CREATE), "creating group properties"));
  set_group_layout(properties.get());
  return properties;
}

hdf5::Group create_group(hid_t parent, std::string_view name) {
  const hdf5::PropertyList properties = group_creation_properties();
  const std::string group_name(name);
  return hdf5::Group(checked(H5Gcreate2(parent, group_name.c_str(), H5P_DEFAULT, properties.get(), H5P_DEFAULT),
                             "creating group /" + group_name));
}

hdf5::PropertyList dataset_creation_properties() {
  hdf5::PropertyList properties(checked(H5Pcreate(H5P_DATASET_CREATE), "creating dataset properties"));
  check(H5Pset_obj_track_times(properties.get(), false), "turning off object times");
  return properties;
}

void write_whole_file(const std::filesystem::path& target, bool overwrite, const std::function<void(hid_t file)>& fill) {
  output_folder_of(target);  // throws OutputError naming what is wrong with the path
  const std::filesystem::path partial = temporary_path_for(target, ".partial-", true);
  const hdf5::QuietErrors quiet;
  const auto remove_partial = [&] {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
  };
  try {
    hdf5::File file = create_file(partial.string());
    fill(file.get());
    check(H5Fflush(file.get(), H5F_SCOPE_LOCAL), "flushing the file");
    if (file.reset() < 0) throw Failure{"closing the file: " + hdf5::innermost_error()};
  } catch (const Failure& failure) {
    remove_partial();
    throw OutputError(target.string() + ": " + failure.what);
  } catch (...) {
    remove_partial();
    throw;
  }
  const PendingFile file{partial, target};
  move_all_into_place({&file, 1}, overwrite);  // on failure: the temporary removed
}

hdf5::PropertyList compressed_dataset_properties(const std::vector<hsize_t>& chunk, const std::string& dataset_name) {
  hdf5::PropertyList properties = dataset_creation_properties();
  check(H5Pset_chunk(properties.get(), static_cast<int>(chunk.size()), chunk.data()), "chunking " + dataset_name);
  check(H5Pset_shuffle(properties.get()), "adding the shuffle filter to " + dataset_name);
  check(H5Pset_deflate(properties.get(), kDeflateLevel), "adding the deflate filter to " + dataset_name);
  return properties;
}

hdf5::PropertyList transfer_properties(std::size_t element_bytes, const std::string& dataset_name) {
  constexpr std::size_t kConversionBufferBytes = 64 * 1024;
  hdf5::PropertyList transfer(checked(H5Pcreate(H5P_DATASET_XFER), "creating the transfer properties of " + dataset_name));
  check(H5Pset_buffer(transfer.get(), std::max(kConversionBufferBytes, element_bytes), nullptr, nullptr),
        "sizing the conversion buffer of " + dataset_name);
  return transfer;
}

hdf5::Dataset create_fixed(hid_t group, std::string_view name, std::string_view units, std::string_view long_name,
                           hid_t file_type, const std::vector<hsize_t>& shape, hid_t memory_type, const void* data) {
  const std::string dataset_name(name);
  const hdf5::Dataspace space(
      checked(shape.empty() ? H5Screate(H5S_SCALAR)
                            : H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr),
              "creating the dataspace of " + dataset_name));
  const hdf5::PropertyList properties = dataset_creation_properties();
  hdf5::Dataset dataset(checked(
      H5Dcreate2(group, dataset_name.c_str(), file_type, space.get(), H5P_DEFAULT, properties.get(), H5P_DEFAULT),
      "creating dataset " + dataset_name));
  const hssize_t points = H5Sget_simple_extent_npoints(space.get());
  if (points > 0) check_finite(dataset.get(), memory_type, data, static_cast<std::size_t>(points));
  if (points > 0) {
    const hdf5::PropertyList transfer =
        transfer_properties(std::max(H5Tget_size(file_type), H5Tget_size(memory_type)), dataset_name);
    check(H5Dwrite(dataset.get(), memory_type, H5S_ALL, H5S_ALL, transfer.get(), data), "writing dataset " + dataset_name);
  }
  describe(dataset.get(), units, long_name);
  return dataset;
}

hdf5::Dataset create_fixed(hid_t group, const schema::Column& column, hid_t file_type, const std::vector<hsize_t>& shape,
                           hid_t memory_type, const void* data) {
  return create_fixed(group, column.name, column.units, column.long_name, file_type, shape, memory_type, data);
}

hdf5::Dataset create_text(hid_t group, std::string_view name, std::string_view units, std::string_view long_name,
                          const std::vector<std::string>& texts) {
  const hdf5::Datatype type = utf8_string_type();
  const std::vector<const char*> pointers = c_strings(texts);
  return create_fixed(group, name, units, long_name, type.get(), {texts.size()}, type.get(), pointers.data());
}

hdf5::Dataset create_text(hid_t group, const schema::Column& column, const std::vector<std::string>& texts) {
  return create_text(group, column.name, column.units, column.long_name, texts);
}

hdf5::Dataset create_scalar_text(hid_t group, const schema::Column& column, const std::string& text) {
  const hdf5::Datatype type = utf8_string_type();
  const char* pointer = text.c_str();
  return create_fixed(group, column, type.get(), {}, type.get(), &pointer);
}

void make_scale(hid_t dataset, std::string_view name) {
  check(H5DSset_scale(dataset, str(name).c_str()), "making " + str(name) + " a dimension scale");
}

void attach(hid_t dataset, hid_t scale, unsigned axis) {
  check(H5DSattach_scale(dataset, scale, axis), "attaching a dimension scale");
}

void DimensionScales::attach(hid_t dataset, hid_t scale, unsigned axis) {
  Attachment attachment;
  attachment.axis = axis;
  check(H5Rcreate(&attachment.dataset, dataset, ".", H5R_OBJECT, -1), "referring to a dataset");
  check(H5Rcreate(&attachment.scale, scale, ".", H5R_OBJECT, -1), "referring to a dimension scale");
  const hdf5::Dataspace space(checked(H5Dget_space(dataset), "getting a dataspace"));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) throw Failure{"getting a dataset's rank: " + hdf5::innermost_error()};
  attachment.rank = std::max(1, rank);  // a scalar dataset has one axis to H5DS
  if (axis >= static_cast<unsigned>(attachment.rank))
    throw Failure{"attaching a dimension scale past a dataset's axes"};
  attachments_.push_back(attachment);
}

void DimensionScales::write(hid_t file) {
  // The attributes' types, as H5DS makes them: DIMENSION_LIST a variable-length list of object
  // references per axis; REFERENCE_LIST a compound of the dataset's reference and its axis, padded
  // to the C struct's size.
  struct ReferenceEntry {
    hobj_ref_t dataset;
    int dimension;
  };
  const hdf5::Datatype dimension_list(checked(H5Tvlen_create(H5T_STD_REF_OBJ), "making DIMENSION_LIST's type"));
  const hdf5::Datatype reference_list(
      checked(H5Tcreate(H5T_COMPOUND, sizeof(ReferenceEntry)), "making REFERENCE_LIST's type"));
  check(H5Tinsert(reference_list.get(), "dataset", offsetof(ReferenceEntry, dataset), H5T_STD_REF_OBJ),
        "making REFERENCE_LIST's type");
  check(H5Tinsert(reference_list.get(), "dimension", offsetof(ReferenceEntry, dimension), H5T_NATIVE_INT),
        "making REFERENCE_LIST's type");
  const auto write_attribute = [&](hobj_ref_t object, const char* name, hid_t type, hsize_t count, const void* data) {
    const hdf5::Dataset opened(
        checked(H5Rdereference2(file, H5P_DEFAULT, H5R_OBJECT, &object), "opening a referred dataset"));
    const hdf5::Dataspace space(checked(H5Screate_simple(1, &count, nullptr), "creating a dataspace"));
    const hdf5::Attribute attribute(checked(H5Acreate2(opened.get(), name, type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                                            std::string("creating ") + name));
    check(H5Awrite(attribute.get(), type, data), std::string("writing ") + name);
  };
  // The datasets and the scales in the order first attached.
  std::vector<hobj_ref_t> datasets, scales;
  for (const Attachment& a : attachments_) {
    if (std::find(datasets.begin(), datasets.end(), a.dataset) == datasets.end()) datasets.push_back(a.dataset);
    if (std::find(scales.begin(), scales.end(), a.scale) == scales.end()) scales.push_back(a.scale);
  }
  // Each dataset's scales by axis, in the order attached (once each).
  for (const hobj_ref_t dataset : datasets) {
    std::vector<std::vector<hobj_ref_t>> by_axis;
    for (const Attachment& a : attachments_) {
      if (a.dataset != dataset) continue;
      by_axis.resize(static_cast<std::size_t>(a.rank));
      std::vector<hobj_ref_t>& on_axis = by_axis[a.axis];
      if (std::find(on_axis.begin(), on_axis.end(), a.scale) == on_axis.end()) on_axis.push_back(a.scale);
    }
    std::vector<hvl_t> lists(by_axis.size());
    for (std::size_t axis = 0; axis < by_axis.size(); ++axis)
      lists[axis] = hvl_t{by_axis[axis].size(), by_axis[axis].empty() ? nullptr : by_axis[axis].data()};
    write_attribute(dataset, "DIMENSION_LIST", dimension_list.get(), lists.size(), lists.data());
  }
  // Each scale's datasets and axes, in the order attached (an attachment made twice listed twice,
  // as H5DSattach_scale lists it).
  for (const hobj_ref_t scale : scales) {
    std::vector<ReferenceEntry> entries;
    for (const Attachment& a : attachments_) {
      if (a.scale != scale) continue;
      ReferenceEntry entry;
      std::memset(&entry, 0, sizeof entry);  // the padding too: the file's bytes are the same from run to run
      entry.dataset = a.dataset;
      entry.dimension = static_cast<int>(a.axis);
      entries.push_back(entry);
    }
    write_attribute(scale, "REFERENCE_LIST", reference_list.get(), entries.size(), entries.data());
  }
  attachments_.clear();
}

hdf5::Dataset create_text_scale(hid_t group, const schema::Column& column, const std::vector<std::string>& texts) {
  hdf5::Dataset scale = create_text(group, column, texts);
  make_scale(scale.get(), column.name);
  return scale;
}

}  // namespace policysim::hdf5_write

#include "sim/output/appendable.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "sim/output/hdf5_write.hpp"

namespace policysim::hdf5_write {
namespace {

// Chunks of about this many bytes: big enough for deflate and for reading a long time series
// of one tie, small enough that the default 1 MiB chunk cache holds every open chunk.
constexpr std::size_t kTargetChunkBytes = 64 * 1024;
constexpr unsigned kDeflateLevel = 1;
// A variable-length string element is stored as a 16-byte reference into the global heap.
constexpr std::size_t kStringElementBytes = 16;
// Type-conversion buffer of a write. HDF5 zero-fills its default 1 MiB buffer on every write that
// converts (every string write): with a few thousand milestone strings that alone took seconds.
constexpr std::size_t kConversionBufferBytes = 64 * 1024;

}  // namespace

Appendable::Appendable(hid_t group, std::string_view name, std::string_view units, std::string_view long_name,
                       hid_t file_type, std::vector<hsize_t> row_shape, hsize_t rows_hint)
    : row_shape_(std::move(row_shape)) {
  const bool is_text = H5Tis_variable_str(file_type) > 0;
  const std::size_t element_bytes = is_text ? kStringElementBytes : H5Tget_size(file_type);
  std::size_t row_bytes = element_bytes;
  for (hsize_t extent : row_shape_) row_bytes *= std::max<hsize_t>(extent, 1);
  const hsize_t chunk_rows = std::clamp<hsize_t>(kTargetChunkBytes / row_bytes, 1, std::max<hsize_t>(rows_hint, 1));

  std::vector<hsize_t> shape{0}, max_shape{H5S_UNLIMITED}, chunk{chunk_rows};
  for (hsize_t extent : row_shape_) {
    shape.push_back(extent);
    // A chunk may not exceed a fixed axis, and must hold at least one element: an empty
    // axis (a scenario without pairs of interest) is made extendible instead.
    max_shape.push_back(extent == 0 ? H5S_UNLIMITED : extent);
    chunk.push_back(std::max<hsize_t>(extent, 1));
  }
  const std::string dataset_name(name);
  const auto rank = static_cast<int>(shape.size());
  const hdf5::Dataspace space(
      checked(H5Screate_simple(rank, shape.data(), max_shape.data()), "creating the dataspace of " + dataset_name));
  const hdf5::PropertyList properties = dataset_creation_properties();
  check(H5Pset_chunk(properties.get(), rank, chunk.data()), "chunking " + dataset_name);
  if (!is_text) {
    check(H5Pset_shuffle(properties.get()), "adding the shuffle filter to " + dataset_name);
    check(H5Pset_deflate(properties.get(), kDeflateLevel), "adding the deflate filter to " + dataset_name);
  }
  dataset_ = hdf5::Dataset(
      checked(H5Dcreate2(group, dataset_name.c_str(), file_type, space.get(), H5P_DEFAULT, properties.get(), H5P_DEFAULT),
              "creating dataset " + dataset_name));
  describe(dataset_.get(), units, long_name);
  transfer_ = hdf5::PropertyList(checked(H5Pcreate(H5P_DATASET_XFER), "creating transfer properties"));
  const std::size_t buffer = std::max(kConversionBufferBytes, row_bytes);
  check(H5Pset_buffer(transfer_.get(), buffer, nullptr, nullptr), "sizing the conversion buffer of " + dataset_name);
}

void Appendable::append_rows(hid_t memory_type, const void* rows, hsize_t count_rows) {
  if (count_rows == 0) return;
  std::vector<hsize_t> extent{rows_ + count_rows}, start{rows_}, count{count_rows};
  hsize_t elements = 1;
  for (hsize_t axis : row_shape_) {
    extent.push_back(axis);
    start.push_back(0);
    count.push_back(axis);
    elements *= axis;
  }
  check_finite(dataset_.get(), memory_type, rows, static_cast<std::size_t>(elements * count_rows));
  check(H5Dset_extent(dataset_.get(), extent.data()), "extending a dataset");
  rows_ += count_rows;
  if (elements == 0) return;
  const hdf5::Dataspace file_space(checked(H5Dget_space(dataset_.get()), "getting a dataspace"));
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
        "selecting a row");
  const hdf5::Dataspace memory_space(
      checked(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), "creating a dataspace"));
  check(H5Dwrite(dataset_.get(), memory_type, memory_space.get(), file_space.get(), transfer_.get(), rows),
        "writing rows");
}

namespace {

std::chrono::sys_days first_day(Period period) {
  return std::chrono::year_month_day{std::chrono::year{period.year()},
                                     std::chrono::month{static_cast<unsigned>(3 * (period.quarter() - 1) + 1)},
                                     std::chrono::day{1}};
}

// "days since 2010-01-01": the CF units of a time coordinate that starts at `start`.
std::string cf_days_since(Period start) {
  char text[64];
  std::snprintf(text, sizeof text, "days since %04d-%02d-01", start.year(), 3 * (start.quarter() - 1) + 1);
  return text;
}

}  // namespace

double days_between(Period from, Period to) {
  return static_cast<double>((first_day(to) - first_day(from)).count());
}

TimeAxis::TimeAxis(hid_t group, hid_t string_type, hsize_t rows_hint, Period start_period)
    : time(group, schema::dim::kTime.name, cf_days_since(start_period), schema::dim::kRunTimeLongName,
           H5T_IEEE_F64LE, {}, rows_hint),
      period_label(group, schema::kPeriodLabel, string_type, {}, rows_hint),
      year(group, schema::dim::kYear, H5T_IEEE_F64LE, {}, rows_hint),
      start(start_period) {
  set_text_attribute(time.id(), schema::dim::kCalendar, schema::dim::kStandardCalendar);
  make_scale(time.id(), schema::dim::kTime.name);
  attach(period_label.id(), time.id(), 0);
  attach(year.id(), time.id(), 0);
}

void TimeAxis::append(Period period, hid_t string_type) {
  const double days = days_between(start, period);
  const double decimal_year = period.decimal_year();
  const std::string label = period.label();
  const char* pointer = label.c_str();
  time.append(H5T_NATIVE_DOUBLE, &days);
  period_label.append(string_type, &pointer);
  year.append(H5T_NATIVE_DOUBLE, &decimal_year);
}

}  // namespace policysim::hdf5_write

#pragma once
// RAII for HDF5 C API identifiers, and access to HDF5's error stack.
// Only files in sim/output/ (and their tests) include this: HDF5 stays out of the other modules.
#include <hdf5.h>

#include <string>
#include <utility>

namespace policysim::hdf5 {

// Owns one identifier and closes it with the H5?close that matches its kind.
template <herr_t (*Close)(hid_t)>
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  // Closes now; returns what the close returned (0 when there was nothing to close).
  herr_t reset() {
    herr_t status = 0;
    if (id_ >= 0) status = Close(id_);
    id_ = H5I_INVALID_HID;
    return status;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

using File = Handle<H5Fclose>;
using Group = Handle<H5Gclose>;
using Dataset = Handle<H5Dclose>;
using Dataspace = Handle<H5Sclose>;
using Datatype = Handle<H5Tclose>;
using Attribute = Handle<H5Aclose>;
using PropertyList = Handle<H5Pclose>;

// While alive, HDF5 does not print its error stack to stderr: failures are reported once,
// through an exception that carries the innermost message (innermost_error()).
class QuietErrors {
 public:
  QuietErrors() {
    H5Eget_auto2(H5E_DEFAULT, &function_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, function_, data_); }
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  H5E_auto2_t function_ = nullptr;
  void* data_ = nullptr;
};

// The innermost message on the current error stack (the one nearest the cause, e.g.
// "unable to open file: name = '...', errno = 13, error message = 'Permission denied'"),
// then clears the stack. Empty when the stack is empty.
inline std::string innermost_error() {
  std::string message;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned position, const H5E_error2_t* error, void* out) -> herr_t {
        if (position == 0 && error->desc != nullptr) *static_cast<std::string*>(out) = error->desc;
        return 0;
      },
      &message);
  H5Eclear2(H5E_DEFAULT);
  // One line: HDF5's I/O messages span lines (a time stamp) and list buffers and offsets; what a
  // user needs is the system's reason ("file write failed: No space left on device").
  const std::string reason_key = "error message = '";
  if (const auto start = message.find(reason_key); start != std::string::npos) {
    const auto end = message.find('\'', start + reason_key.size());
    const std::string reason = message.substr(start + reason_key.size(), end == std::string::npos ? end : end - start - reason_key.size());
    const auto colon = message.find(':');
    message = (colon == std::string::npos ? std::string("failed") : message.substr(0, colon)) + ": " + reason;
  }
  for (char& c : message)
    if (c == '\n' || c == '\r') c = ' ';
  return message;
}

}  // namespace policysim::hdf5

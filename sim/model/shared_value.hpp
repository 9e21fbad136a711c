#pragma once
// A part of the world that is shared between copies and never changed in place (the firm table,
// the B2B layers): copying the world copies a pointer, and a phase that changes the part builds a
// new one. Compares by value, so two worlds are equal when their contents are, whoever built them.
#include <memory>
#include <utility>

namespace policysim {

template <typename T>
class SharedValue {
 public:
  SharedValue() : value_(std::make_shared<const T>()) {}
  SharedValue(std::shared_ptr<const T> value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  SharedValue(std::shared_ptr<T> value) : value_(std::move(value)) {}       // NOLINT(google-explicit-constructor)

  const T& operator*() const { return *value_; }
  const T* operator->() const { return value_.get(); }
  // The owning pointer, for a cache that must know whether it still describes this very value
  // (a weak_ptr to it never matches a value made later, wherever that is allocated).
  const std::shared_ptr<const T>& pointer() const { return value_; }

  // The same object, or equal contents (the contents never change, so one pointer means one value).
  friend bool operator==(const SharedValue& a, const SharedValue& b) {
    return a.value_ == b.value_ || *a.value_ == *b.value_;
  }

 private:
  std::shared_ptr<const T> value_;  // never null
};

}  // namespace policysim

#pragma once
// A part of the world that is shared between copies and never changed in place while shared (the
// firm table, the B2B layers): copying the world copies a pointer, and a phase that changes the
// part builds a new one (or, holding it alone, changes it and hands it on: held_only_by). Compares by value, so two worlds are equal when their contents are, whoever built them.
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
  // Whether `kept` (taken from pointer() earlier) points to this very value.
  bool is(const std::weak_ptr<const T>& kept) const {
    return !kept.expired() && !kept.owner_before(value_) && !value_.owner_before(kept);
  }

  // The value itself, to be moved from, when `start` and `next` (the two worlds of a phase) hold the
  // same value and nothing else does: a phase that builds the next value from this one may then
  // change it where it lies rather than beside a copy (the B2B network, sim/dynamics/firms/
  // b2b_cooperation.cpp, which would otherwise hold two networks of millions of ties at once).
  // `start` then shows what the phase left of it until the step replaces `start` with `next`, so the
  // phase takes it after its last read of `start`'s value. Null when anything else holds it (a world
  // kept by a test or a caller, another run). Values are made non-const (make_shared<T>), so that
  // moving from one is defined.
  static T* held_only_by(const SharedValue& start, const SharedValue& next) {
    if (start.value_ != next.value_ || start.value_.use_count() != 2) return nullptr;
    return const_cast<T*>(start.value_.get());
  }

  // The same object, or equal contents (the contents never change, so one pointer means one value).
  friend bool operator==(const SharedValue& a, const SharedValue& b) {
    return a.value_ == b.value_ || *a.value_ == *b.value_;
  }

 private:
  std::shared_ptr<const T> value_;  // never null
};

}  // namespace policysim

#pragma once
// Dense Eigen vectors and matrices that compare as values. Eigen's own operator== asserts that the
// two operands have the same shape (and reads out of bounds in a release build when they do not);
// the world's defaulted equality must instead answer "different" for a matrix of another size.
#include <algorithm>

#include <Eigen/Dense>

namespace policysim {

template <typename Base>
class ComparableDense : public Base {
 public:
  using Base::Base;
  ComparableDense() = default;
  // Implicit from any Eigen expression, as the plain Eigen type is (`m = TieMatrix::Zero(n, n)`).
  template <typename Other>
  ComparableDense(const Eigen::MatrixBase<Other>& other) : Base(other) {}  // NOLINT(google-explicit-constructor)
  template <typename Other>
  ComparableDense& operator=(const Eigen::MatrixBase<Other>& other) {
    Base::operator=(other);
    return *this;
  }

  // Same shape and the same values (a NaN differs from everything, as for double).
  friend bool operator==(const ComparableDense& a, const ComparableDense& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() && std::equal(a.data(), a.data() + a.size(), b.data());
  }
  friend bool operator!=(const ComparableDense& a, const ComparableDense& b) { return !(a == b); }
  // Against an Eigen expression (`m == m.transpose()`): the same, without evaluating it first.
  template <typename Other>
  friend bool operator==(const ComparableDense& a, const Eigen::MatrixBase<Other>& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() && (a.array() == b.array()).all();
  }
};

// One number per agent (slot), e.g. a government attribute.
using AgentValues = ComparableDense<Eigen::VectorXd>;

}  // namespace policysim

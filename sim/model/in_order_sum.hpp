#pragma once
// The sum of non-negative doubles added one after the other, s = ((w0 + w1) + w2) + ..., the same
// double, but with the list cut into pieces that threads can work on at the same time. The mean tie
// weight of the B2B network is such a sum (FirmNetwork::weight_sum): one chain of dependent
// additions that no thread count may change, which on two threads cost the tie update a fifth of
// its time (docs/performance.md, fourteenth round).
//
// Why it can be cut: while the running sum s stays in one binade [2^e, 2^(e+1)), every double there
// is a multiple of u = 2^(e-52), and each addition s + w rounds to the multiple of u nearest to it.
// As s is itself a multiple of u, that is s + (w rounded to the nearest multiple of u), whatever s
// is, unless w lies exactly halfway between two multiples (then the rounding goes to the even one,
// which depends on s). So over a piece that keeps s in one binade, the additions add up to the sum
// of the rounded weights, multiples of u that add exactly, in any order, so that any thread can
// form it without knowing s. Given s, a piece is then one addition, checked: s must lie in the
// binade the piece was quantized for, and the result must stay below 2^(e+1). A piece that fails
// (it crosses a power of two, has a weight halfway, a negative or non-finite one) is added one
// weight after the other.
// The argument in full is in docs/performance.md (fourteenth round).
#include <cstddef>
#include <span>

namespace policysim {

// A piece of the list, quantized for a running sum in the binade [2^exponent, 2^(exponent + 1)).
struct SumPiece {
  // The weights each rounded to the nearest multiple of u = 2^(exponent - 52), summed: exact while
  // below 2^(exponent + 1).
  double rounded = 0.0;
  // About the piece's sum: where the next piece's running sum about starts.
  double approximate = 0.0;
  int exponent = 0;
  // False when some weight rules the shortcut out: negative, not finite, 2^(exponent - 1) or more,
  // halfway between two multiples of u, or when no binade was assumed (a start of about 0).
  bool quantized = false;
};

// Quantizes `weights` for a running sum that starts at about `approximate_start` (any estimate: a
// wrong one only makes add_piece add the weights one by one). With `copy_to`, also copies the
// weights there, in the same pass.
SumPiece quantize_piece(std::span<const double> weights, double approximate_start, double* copy_to = nullptr);

// sum + weights[0] + weights[1] + ..., added one after the other: in one addition when `piece`
// (quantize_piece of the same weights) allows it, else weight by weight. The same double either way.
double add_piece(double sum, const SumPiece& piece, std::span<const double> weights);

}  // namespace policysim

#pragma once
// The formation decisions of B2B cooperation: a tie is proposed when the pair's uniform draw is at
// most its logistic probability, draw <= 1 / (1 + exp(-utility)) (../shared/bench/DECLARATION.md,
// step 1; sim/dynamics/firms/b2b_cooperation.cpp), computed with the C library's exp, one addition
// and one division, in doubles. Most decisions are settled without the exp (see the .cpp): the
// accepted pairs are the very ones of that computation, whatever the library's rounding.
#include <cstddef>
#include <cstdint>

namespace policysim {

// The probability as the formation has always computed it: the library's exp, then 1 / (1 + e).
double logistic_probability(double utility);

// The indices d < count (in increasing order) with draw[d] <= logistic_probability(utility[d]), into
// `accepted` (room for count); returns how many. scratch: room for count doubles.
std::size_t accepted_draws(const double* utility, const double* draw, std::size_t count, double* scratch,
                           std::uint32_t* accepted);

// exp(x) to within a relative 2^-40 for |x| <= 700, without the C library (range reduction by ln 2
// and a Taylor polynomial of degree 11): the cheap bound accepted_draws settles decisions with.
// Outside that range, or for NaN, it is not used.
double approximate_exp(double x);

}  // namespace policysim

#pragma once
// Sorting the keys of a step's changes (packed tie ends) with the threads of the run.
#include <cstdint>
#include <vector>

namespace policysim {

// Sorts `keys` in increasing order: each thread sorts its share (a radix sort on digits of up to 11
// bits, over the bits each half of the keys uses), then the sorted shares are merged pairwise,
// every merge shared by all the threads (cut where its merge path crosses each thread's part of the
// output). The result is the sorted sequence, so it does not depend on the number of threads. One
// thread inside a sweep's parallel region or for fewer than 4,096 keys.
void parallel_sort(std::vector<std::uint64_t>& keys);

}  // namespace policysim

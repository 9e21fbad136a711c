#pragma once
// How one byte plane of a shuffled chunk is deflated (ChunkDeflate::RunLength and ::Counter in
// appendable.cpp code each plane of a chunk on its own): judged from the plane's bytes alone.
#include <cstddef>

namespace policysim::hdf5_write {

// Stored: (nearly) incompressible for Z_RLE, hardly a run of three equal bytes (what Z_RLE codes
// as a match, at distance 1: the sorted firm ids have evenly spread low bytes, but in runs; a pair
// of equal bytes is two literals to Z_RLE), and an entropy near 8 bits a byte (coding them would
// save next to nothing). An edge list's low mantissa bytes and its random firm ids are such planes.
// Counting pairs instead of runs, Z_RLE coded the second byte of the large benchmark's second firm
// ids (sorted within each firm's partners, so equal to the one before more often than 1 in 64, yet
// hardly ever three times) to 3.5% below its size; counting runs, 215 of its 339 chunks store it,
// and the column is written in 49 - 51 ms instead of 60 (docs/performance.md, fourteenth round).
// The entropy is estimated from every fourth byte (a fourth of the histogram's cost; for evenly
// spread bytes the estimate of 2,048 is about 7.91 bits, hence the threshold of 7.8).
// Huffman: runs of three at no more than one byte in 16, and fewer bits a byte or more runs than
// random bytes make: Z_HUFFMAN_ONLY codes it, zlib's literals without Z_RLE's look for a run at
// every byte (the weights' byte of exponent and first mantissa bits, about 4.3 bits a byte and
// 230 runs of three in 8,192 bytes: 20% faster and 0.15% smaller than Z_RLE; every plane of the
// large benchmark's edge list with at most 512 runs was as small or smaller; twenty-second round).
// Runs: more runs, and planes too short to judge (under 4,096 bytes).
enum class PlaneCoding { Stored, Huffman, Runs };

// The coding of the `count` bytes of a plane, by the rules above: runs of three counted at every
// byte from the third (a run of four is two), the entropy of the bytes at 0, 4, 8, ...
PlaneCoding plane_coding(const unsigned char* bytes, std::size_t count);

// Whether every byte of a plane is the same (the high bytes of firm ids, of a row counter).
bool constant(const unsigned char* bytes, std::size_t count);

}  // namespace policysim::hdf5_write

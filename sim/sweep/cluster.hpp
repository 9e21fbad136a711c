#pragma once
// The processes of a sweep: one, or the ranks of an MPI job (`mpirun -np N policysim sweep ...`).
// Rank 0 (the root) owns the journal and the output file; the other ranks send it their runs.
// MPI is used only when policysim was built with POLICYSIM_WITH_MPI and the process was started
// by mpirun; other commands, and a plain `policysim sweep`, never touch it. Only the main
// thread calls MPI (MPI_THREAD_FUNNELED), outside OpenMP regions.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace policysim::sweep {

class Cluster {
 public:
  Cluster();  // joins the MPI job when there is one; throws std::runtime_error if it cannot
  ~Cluster();  // leaves it (MPI_Finalize)
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  static bool built_with_mpi();
  // The size of the job that started this process, from mpirun's environment (1 if none).
  static int launched_size();

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool root() const { return rank_ == 0; }

  // The smallest `value` of all ranks (agreement on success: 1 ok, 0 failed).
  int all_min(int value) const;
  // The root's `bytes`, on every rank.
  void broadcast(std::string& bytes) const;

  // Other ranks -> root.
  void send_result(std::string_view bytes) const;
  void send_done(std::uint64_t results) const;
  struct Message {
    int source = 0;
    bool done = false;      // the rank has sent all its results
    std::string bytes;      // a result
  };
  std::optional<Message> poll() const;  // root: a waiting message, without blocking
  Message wait() const;                 // root: the next message

  [[noreturn]] void abort(int code) const;

 private:
  int rank_ = 0;
  int size_ = 1;
  bool mpi_ = false;
};

}  // namespace policysim::sweep

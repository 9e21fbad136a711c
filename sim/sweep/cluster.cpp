#include "sim/sweep/cluster.hpp"

#include <cstdlib>
#include <stdexcept>

// Set to 0 or 1 by CMake (option POLICYSIM_WITH_MPI).
#ifndef POLICYSIM_WITH_MPI
#define POLICYSIM_WITH_MPI 0
#endif
#if POLICYSIM_WITH_MPI
#include <mpi.h>
#endif

namespace policysim::sweep {
namespace {

[[maybe_unused]] constexpr int kResultTag = 1;
[[maybe_unused]] constexpr int kDoneTag = 2;

}  // namespace

bool Cluster::built_with_mpi() { return POLICYSIM_WITH_MPI != 0; }

int Cluster::launched_size() {
  // OpenMPI, then PMI (MPICH, Slurm's srun).
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"})
    if (const char* value = std::getenv(variable); value != nullptr && *value != '\0') {
      const int size = std::atoi(value);
      if (size > 0) return size;
    }
  return 1;
}

Cluster::Cluster() {
  if (launched_size() <= 1) return;
#if POLICYSIM_WITH_MPI
  int provided = 0;
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
    throw std::runtime_error("MPI_Init_thread failed");
  mpi_ = true;
  if (provided < MPI_THREAD_FUNNELED) {
    MPI_Finalize();
    mpi_ = false;
    throw std::runtime_error("the MPI library does not support MPI_THREAD_FUNNELED");
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
#else
  throw std::runtime_error("started by mpirun with " + std::to_string(launched_size()) +
                           " processes, but this policysim was built without MPI (configure with "
                           "-DPOLICYSIM_WITH_MPI=ON); every process would run the whole sweep");
#endif
}

Cluster::~Cluster() {
#if POLICYSIM_WITH_MPI
  if (mpi_) MPI_Finalize();
#endif
}

int Cluster::all_min(int value) const {
#if POLICYSIM_WITH_MPI
  if (mpi_) {
    int result = value;
    MPI_Allreduce(&value, &result, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return result;
  }
#endif
  return value;
}

void Cluster::broadcast(std::string& bytes) const {
#if POLICYSIM_WITH_MPI
  if (mpi_) {
    unsigned long long size = bytes.size();
    MPI_Bcast(&size, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    bytes.resize(static_cast<std::size_t>(size));
    if (size > 0) MPI_Bcast(bytes.data(), static_cast<int>(size), MPI_CHAR, 0, MPI_COMM_WORLD);
  }
#else
  (void)bytes;
#endif
}

void Cluster::send_result(std::string_view bytes) const {
#if POLICYSIM_WITH_MPI
  if (mpi_) {
    MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_CHAR, 0, kResultTag, MPI_COMM_WORLD);
    return;
  }
#endif
  (void)bytes;
  throw std::logic_error("send_result without MPI");
}

void Cluster::send_done(std::uint64_t results) const {
#if POLICYSIM_WITH_MPI
  if (mpi_) {
    unsigned long long count = results;
    MPI_Send(&count, 1, MPI_UNSIGNED_LONG_LONG, 0, kDoneTag, MPI_COMM_WORLD);
    return;
  }
#endif
  (void)results;
  throw std::logic_error("send_done without MPI");
}

#if POLICYSIM_WITH_MPI
namespace {
Cluster::Message receive(const MPI_Status& status) {
  Cluster::Message message;
  message.source = status.MPI_SOURCE;
  int count = 0;
  MPI_Get_count(&status, MPI_CHAR, &count);
  if (status.MPI_TAG == kDoneTag) {
    unsigned long long results = 0;
    MPI_Recv(&results, 1, MPI_UNSIGNED_LONG_LONG, status.MPI_SOURCE, kDoneTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    message.done = true;
    return message;
  }
  message.bytes.resize(static_cast<std::size_t>(count));
  MPI_Recv(message.bytes.data(), count, MPI_CHAR, status.MPI_SOURCE, kResultTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return message;
}
}  // namespace
#endif

std::optional<Cluster::Message> Cluster::poll() const {
#if POLICYSIM_WITH_MPI
  if (mpi_) {
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
    if (!flag) return std::nullopt;
    return receive(status);
  }
#endif
  return std::nullopt;
}

Cluster::Message Cluster::wait() const {
#if POLICYSIM_WITH_MPI
  if (mpi_) {
    MPI_Status status;
    MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
    return receive(status);
  }
#endif
  throw std::logic_error("wait without MPI");
}

void Cluster::abort(int code) const {
#if POLICYSIM_WITH_MPI
  if (mpi_) MPI_Abort(MPI_COMM_WORLD, code);
#endif
  std::exit(code);
}

}  // namespace policysim::sweep

# Sweeps through the real command line: determinism across threads (and MPI ranks), the file
# where users open it (h5py, xarray, the docs' snippets), a sweep run reproduced by
# `policysim run`, the firm layer's metrics, every design end to end, resume after SIGKILL, the
# example scenario. The sweeps run on small worlds (tests/scenario/fixtures: the baseline with a few
# hundred firms, or 50 governments), so they are `fast`; only the example sweep runs the full
# baseline (`slow`).
set(_sweep_tmp ${CMAKE_CURRENT_BINARY_DIR}/sweep_runs)
file(MAKE_DIRECTORY ${_sweep_tmp})
set(_sweep_check ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/check_sweep.py)
set(_sweep_compare ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/compare_sweeps.py)
set(_sweep_determinism ${CMAKE_CURRENT_LIST_DIR}/determinism_sweep.toml)

# 24 runs of the small world with 1, 2 and 3 threads: the same file, dataset by dataset (wall times aside).
foreach(_threads 1 2 3)
  add_test(NAME sweep.determinism.threads_${_threads}
           COMMAND policysim sweep ${_sweep_determinism} --threads ${_threads}
                   --out ${_sweep_tmp}/determinism_t${_threads}.h5 --force --quiet)
  set_tests_properties(sweep.determinism.threads_${_threads} PROPERTIES FIXTURES_SETUP sweep_determinism LABELS fast)
endforeach()
foreach(_threads 2 3)
  add_test(NAME sweep.determinism.threads_1_vs_${_threads}
           COMMAND ${_sweep_compare} ${_sweep_tmp}/determinism_t1.h5 ${_sweep_tmp}/determinism_t${_threads}.h5)
  set_tests_properties(sweep.determinism.threads_1_vs_${_threads} PROPERTIES FIXTURES_REQUIRED sweep_determinism LABELS fast)
endforeach()

# The file: layout and statistics (h5py), every group in xarray (child processes), the snippets
# of docs/sweeps.md, and a run of the sweep equal to `policysim run --seed S --set ...`.
foreach(_check h5py xarray docs)
  add_test(NAME sweep.file_${_check}
           COMMAND ${_sweep_check} ${_check} ${_sweep_tmp}/determinism_t2.h5 --docs ${PROJECT_SOURCE_DIR}/docs/sweeps.md)
  set_tests_properties(sweep.file_${_check} PROPERTIES FIXTURES_REQUIRED sweep_determinism TIMEOUT 900 LABELS fast)
endforeach()
add_test(NAME sweep.file_reproduce_run
         COMMAND ${_sweep_check} reproduce ${_sweep_tmp}/determinism_t2.h5 --policysim $<TARGET_FILE:policysim> --run 13)
set_tests_properties(sweep.file_reproduce_run PROPERTIES FIXTURES_REQUIRED sweep_determinism LABELS fast)

# The firm layer in a sweep (tests/sweep/firms_sweep.toml: G2G support at two values, 3
# replicates): the same file with 1 and 2 threads; its layout, xarray and the docs' snippets; the
# B2B tie metrics differ between the points (common random numbers: per replicate, and in
# /statistics); a run of each point equal to `policysim run` of that point and seed.
set(_sweep_firms ${CMAKE_CURRENT_LIST_DIR}/firms_sweep.toml)
foreach(_threads 1 2)
  add_test(NAME sweep.firms.threads_${_threads}
           COMMAND policysim sweep ${_sweep_firms} --threads ${_threads} --out ${_sweep_tmp}/firms_t${_threads}.h5
                   --force --quiet)
  set_tests_properties(sweep.firms.threads_${_threads} PROPERTIES FIXTURES_SETUP sweep_firms LABELS fast)
endforeach()
add_test(NAME sweep.firms.threads_1_vs_2 COMMAND ${_sweep_compare} ${_sweep_tmp}/firms_t1.h5 ${_sweep_tmp}/firms_t2.h5)
foreach(_check h5py xarray docs)
  add_test(NAME sweep.firms.file_${_check}
           COMMAND ${_sweep_check} ${_check} ${_sweep_tmp}/firms_t2.h5 --docs ${PROJECT_SOURCE_DIR}/docs/sweeps.md)
endforeach()
add_test(NAME sweep.firms.ties_differ_between_points
         COMMAND ${_sweep_check} differs ${_sweep_tmp}/firms_t2.h5 --metric b2b_cooperation_ties)
add_test(NAME sweep.firms.pair_ties_differ_between_points
         COMMAND ${_sweep_check} differs ${_sweep_tmp}/firms_t2.h5 --metric b2b_cooperation_pairs --pair JPN-ISR)
foreach(_run 1 4)
  add_test(NAME sweep.firms.reproduce_run_${_run}
           COMMAND ${_sweep_check} reproduce ${_sweep_tmp}/firms_t2.h5 --policysim $<TARGET_FILE:policysim> --run ${_run})
endforeach()
set_tests_properties(sweep.firms.threads_1_vs_2 sweep.firms.file_h5py sweep.firms.file_xarray sweep.firms.file_docs
                     sweep.firms.ties_differ_between_points sweep.firms.pair_ties_differ_between_points
                     sweep.firms.reproduce_run_1 sweep.firms.reproduce_run_4
                     PROPERTIES FIXTURES_REQUIRED sweep_firms TIMEOUT 900 LABELS fast)

# A world without firms: the government metrics only, no empty firm datasets (h5py, xarray, docs).
add_test(NAME sweep.no_firms.run
         COMMAND policysim sweep ${CMAKE_CURRENT_LIST_DIR}/no_firms_sweep.toml --out ${_sweep_tmp}/no_firms.h5 --force --quiet)
set_tests_properties(sweep.no_firms.run PROPERTIES FIXTURES_SETUP sweep_no_firms LABELS fast)
add_test(NAME sweep.no_firms.check
         COMMAND ${_sweep_check} all ${_sweep_tmp}/no_firms.h5 --docs ${PROJECT_SOURCE_DIR}/docs/sweeps.md)
set_tests_properties(sweep.no_firms.check PROPERTIES FIXTURES_REQUIRED sweep_no_firms TIMEOUT 900 LABELS fast COST 30)

# Each design end to end (its defining property is checked on the file by check_sweep.py).
foreach(_design morris saltelli grid)
  add_test(NAME sweep.design_${_design}.run
           COMMAND policysim sweep ${CMAKE_CURRENT_LIST_DIR}/${_design}_sweep.toml --out ${_sweep_tmp}/${_design}.h5
                   --force --quiet)
  set_tests_properties(sweep.design_${_design}.run PROPERTIES FIXTURES_SETUP sweep_${_design} LABELS fast)
  add_test(NAME sweep.design_${_design}.check COMMAND ${_sweep_check} h5py ${_sweep_tmp}/${_design}.h5)
  set_tests_properties(sweep.design_${_design}.check PROPERTIES FIXTURES_REQUIRED sweep_${_design} LABELS fast)
endforeach()

# SIGTERM and SIGKILL at several moments, --resume, the same file as without interruption.
add_test(NAME sweep.resume_after_sigkill
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/resume_test.py --policysim $<TARGET_FILE:policysim>
                 --sweep ${CMAKE_CURRENT_LIST_DIR}/resume_sweep.toml --folder ${_sweep_tmp}/resume)
set_tests_properties(sweep.resume_after_sigkill PROPERTIES TIMEOUT 900 LABELS fast COST 30)

# The example for students runs as a sweep too (scenarios/*.toml also run as single scenarios):
# 64 runs of the full baseline, slow.
add_test(NAME sweep.example_sweep_china_ties
         COMMAND policysim sweep ${PROJECT_SOURCE_DIR}/scenarios/sweep_china_ties.toml
                 --out ${_sweep_tmp}/sweep_china_ties.h5 --force --quiet)
set_tests_properties(sweep.example_sweep_china_ties PROPERTIES FIXTURES_SETUP sweep_example LABELS slow TIMEOUT 900 COST 300)
add_test(NAME sweep.example_sweep_china_ties_check COMMAND ${_sweep_check} h5py ${_sweep_tmp}/sweep_china_ties.h5)
set_tests_properties(sweep.example_sweep_china_ties_check PROPERTIES FIXTURES_REQUIRED sweep_example LABELS slow)

# The benchmark's sweep files still run (tiny, untimed: bench/sweep_bench times them).
foreach(_bench small baseline large)
  add_test(NAME sweep.bench_file_${_bench}
           COMMAND policysim sweep ${PROJECT_SOURCE_DIR}/bench/sweep_bench_${_bench}.toml --set sweep.samples=2
                   --set sweep.replicates=1 --set simulation.steps=4 --out ${_sweep_tmp}/bench_${_bench}.h5 --force --quiet)
  set_tests_properties(sweep.bench_file_${_bench} PROPERTIES LABELS fast)
endforeach()

# MPI: two ranks give the single-process file. OpenMPI refuses root without
# --allow-run-as-root; in containers its shared-memory transport needs the vader setting.
if(POLICYSIM_WITH_MPI)
  add_test(NAME sweep.mpi.two_ranks
           COMMAND ${CMAKE_COMMAND} -E env OMPI_MCA_btl_vader_single_copy_mechanism=none
                   OMPI_MCA_rmaps_base_oversubscribe=1
                   ${MPIEXEC_EXECUTABLE} --allow-run-as-root --oversubscribe ${MPIEXEC_NUMPROC_FLAG} 2
                   $<TARGET_FILE:policysim> sweep ${_sweep_determinism} --threads 1
                   --out ${_sweep_tmp}/determinism_mpi2.h5 --force --quiet)
  set_tests_properties(sweep.mpi.two_ranks PROPERTIES FIXTURES_SETUP sweep_mpi TIMEOUT 900 LABELS fast)
  add_test(NAME sweep.mpi.two_ranks_vs_one_process
           COMMAND ${_sweep_compare} ${_sweep_tmp}/determinism_t1.h5 ${_sweep_tmp}/determinism_mpi2.h5)
  set_tests_properties(sweep.mpi.two_ranks_vs_one_process PROPERTIES FIXTURES_REQUIRED "sweep_mpi;sweep_determinism" LABELS fast)
  # ... and with firms.
  add_test(NAME sweep.mpi.firms_two_ranks
           COMMAND ${CMAKE_COMMAND} -E env OMPI_MCA_btl_vader_single_copy_mechanism=none
                   OMPI_MCA_rmaps_base_oversubscribe=1
                   ${MPIEXEC_EXECUTABLE} --allow-run-as-root --oversubscribe ${MPIEXEC_NUMPROC_FLAG} 2
                   $<TARGET_FILE:policysim> sweep ${_sweep_firms} --threads 1
                   --out ${_sweep_tmp}/firms_mpi2.h5 --force --quiet)
  set_tests_properties(sweep.mpi.firms_two_ranks PROPERTIES FIXTURES_SETUP sweep_firms_mpi TIMEOUT 900 LABELS fast)
  add_test(NAME sweep.mpi.firms_two_ranks_vs_one_process
           COMMAND ${_sweep_compare} ${_sweep_tmp}/firms_t1.h5 ${_sweep_tmp}/firms_mpi2.h5)
  set_tests_properties(sweep.mpi.firms_two_ranks_vs_one_process PROPERTIES FIXTURES_REQUIRED "sweep_firms_mpi;sweep_firms" LABELS fast)
endif()

# Journal integrity: a record with a flipped byte and a record copied under another run's name
# are dropped on --resume and their runs done again; the file equals an uninterrupted sweep's.
add_test(NAME sweep.journal_integrity
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/journal_integrity_test.py
                 --policysim $<TARGET_FILE:policysim> --sweep ${CMAKE_CURRENT_LIST_DIR}/determinism_sweep.toml
                 --folder ${_sweep_tmp}/journal_integrity)
set_tests_properties(sweep.journal_integrity PROPERTIES LABELS fast TIMEOUT 300)

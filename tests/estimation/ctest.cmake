# `policysim estimate` interrupted by SIGTERM and SIGKILL, continued with --resume: the same file.
set(_estimation_tmp ${CMAKE_CURRENT_BINARY_DIR}/estimation)
file(MAKE_DIRECTORY ${_estimation_tmp})
add_test(NAME estimation.resume_after_sigkill
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/resume_test.py --policysim $<TARGET_FILE:policysim>
                 --spec ${CMAKE_CURRENT_LIST_DIR}/resume.toml --folder ${_estimation_tmp}/resume)
set_tests_properties(estimation.resume_after_sigkill PROPERTIES TIMEOUT 300 LABELS fast COST 20)

# The same estimate in one process and under mpirun with two ranks (each generation's runs shared,
# the root's moments broadcast): the same file.
add_test(NAME estimation.one_process
         COMMAND policysim estimate ${CMAKE_CURRENT_LIST_DIR}/resume.toml --threads 2 --quiet
                 --out ${_estimation_tmp}/one_process.h5 --force)
set_tests_properties(estimation.one_process PROPERTIES FIXTURES_SETUP estimation_one_process LABELS fast)
if(POLICYSIM_WITH_MPI)
  add_test(NAME estimation.mpi.two_ranks
           COMMAND ${CMAKE_COMMAND} -E env OMPI_MCA_btl_vader_single_copy_mechanism=none
                   OMPI_MCA_rmaps_base_oversubscribe=1
                   ${MPIEXEC_EXECUTABLE} --allow-run-as-root --oversubscribe ${MPIEXEC_NUMPROC_FLAG} 2
                   $<TARGET_FILE:policysim> estimate ${CMAKE_CURRENT_LIST_DIR}/resume.toml --threads 1 --quiet
                   --out ${_estimation_tmp}/mpi2.h5 --force)
  set_tests_properties(estimation.mpi.two_ranks PROPERTIES FIXTURES_SETUP estimation_mpi TIMEOUT 600 LABELS fast)
  add_test(NAME estimation.mpi.two_ranks_vs_one_process
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/compare_estimates.py
                   ${_estimation_tmp}/one_process.h5 ${_estimation_tmp}/mpi2.h5)
  set_tests_properties(estimation.mpi.two_ranks_vs_one_process
                       PROPERTIES FIXTURES_REQUIRED "estimation_mpi;estimation_one_process" LABELS fast)
endif()

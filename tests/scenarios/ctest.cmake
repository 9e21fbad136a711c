# Scenario-level checks through the real command line.
set(_scenario_tmp ${CMAKE_CURRENT_BINARY_DIR}/scenario_runs)
file(MAKE_DIRECTORY ${_scenario_tmp})
set(_compare ${CMAKE_CURRENT_LIST_DIR}/compare_runs.py)

# Every file in scenarios/ runs for a few steps (as Mesa runs all its examples).
file(GLOB _scenario_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/scenarios/*.toml)
foreach(_file ${_scenario_files})
  get_filename_component(_name ${_file} NAME_WE)
  add_test(NAME scenario_runs.${_name}
           COMMAND policysim run ${_file} --steps 4 --out ${_scenario_tmp}/smoke_${_name}.h5 --force --quiet)
endforeach()

# Determinism: bit-identical ties for 1 and 2 threads, on the baseline and on a world large
# enough (50 agents) that the parallel loops split their work.
foreach(_case baseline:${PROJECT_SOURCE_DIR}/scenarios/baseline.toml
              many_governments:${CMAKE_CURRENT_LIST_DIR}/many_governments.toml)
  string(REPLACE ":" ";" _parts ${_case})
  list(GET _parts 0 _name)
  list(GET _parts 1 _file)
  foreach(_threads 1 2)
    add_test(NAME determinism.${_name}.run_${_threads}_threads
             COMMAND policysim run ${_file} --threads ${_threads} --out ${_scenario_tmp}/${_name}_t${_threads}.h5 --force --quiet)
    set_tests_properties(determinism.${_name}.run_${_threads}_threads PROPERTIES FIXTURES_SETUP determinism_${_name})
  endforeach()
  add_test(NAME determinism.${_name}.threads_1_vs_2
           COMMAND ${Python3_EXECUTABLE} ${_compare} ${_scenario_tmp}/${_name}_t1.h5 ${_scenario_tmp}/${_name}_t2.h5 identical)
  set_tests_properties(determinism.${_name}.threads_1_vs_2 PROPERTIES FIXTURES_REQUIRED determinism_${_name})
endforeach()

# OMP_NUM_THREADS is honoured too (and gives the same result).
add_test(NAME determinism.omp_num_threads.run
         COMMAND ${CMAKE_COMMAND} -E env OMP_NUM_THREADS=2
                 $<TARGET_FILE:policysim> run ${CMAKE_CURRENT_LIST_DIR}/many_governments.toml
                 --out ${_scenario_tmp}/many_governments_env2.h5 --force --quiet)
set_tests_properties(determinism.omp_num_threads.run PROPERTIES FIXTURES_SETUP determinism_env)
add_test(NAME determinism.omp_num_threads.same_as_1_thread
         COMMAND ${Python3_EXECUTABLE} ${_compare} ${_scenario_tmp}/many_governments_t1.h5
                 ${_scenario_tmp}/many_governments_env2.h5 identical)
set_tests_properties(determinism.omp_num_threads.same_as_1_thread
                     PROPERTIES FIXTURES_REQUIRED "determinism_env;determinism_many_governments")

# Common random numbers: post_abe is the baseline plus one event in 2020Q3; same seed, so the
# two runs agree on every row up to 2020Q3 and differ after.
add_test(NAME common_random_numbers.run_post_abe
         COMMAND policysim run ${PROJECT_SOURCE_DIR}/scenarios/post_abe.toml --out ${_scenario_tmp}/post_abe.h5 --force --quiet)
set_tests_properties(common_random_numbers.run_post_abe PROPERTIES FIXTURES_SETUP crn_post_abe)
add_test(NAME common_random_numbers.post_abe_vs_baseline
         COMMAND ${Python3_EXECUTABLE} ${_compare} ${_scenario_tmp}/baseline_t1.h5 ${_scenario_tmp}/post_abe.h5
                 same-before 2020Q3)
set_tests_properties(common_random_numbers.post_abe_vs_baseline
                     PROPERTIES FIXTURES_REQUIRED "crn_post_abe;determinism_baseline")

# The file a user gets from `policysim run` opens with h5py, with xarray's netcdf4 engine (each
# group in a child process) and with the docs' snippets, as the sample file does.
foreach(_reader h5py xarray docs)
  add_test(NAME output.cli_baseline_${_reader}
           COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/output/check_output.py ${_reader}
                   ${_scenario_tmp}/baseline_t1.h5 --docs ${PROJECT_SOURCE_DIR}/docs/output.md)
  set_tests_properties(output.cli_baseline_${_reader} PROPERTIES FIXTURES_REQUIRED determinism_baseline)
endforeach()

# The calibration command on the baseline: every target met over 20 seeds (--check exits 1 otherwise).
add_test(NAME calibration.cli_baseline_check
         COMMAND policysim calibrate ${PROJECT_SOURCE_DIR}/scenarios/baseline.toml --seeds 20 --check)

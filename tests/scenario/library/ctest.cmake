# The scenario library (scenarios/*.toml, bench/*.toml) through the real command line: every file
# runs, the what-ifs share the baseline's random numbers, and runs do not depend on the number of
# threads. The runs land in POLICYSIM_TEST_RUNS, where the output and analysis checks read them.
set(_runs ${POLICYSIM_TEST_RUNS})

# Every file in scenarios/ runs for a few steps (as Mesa runs all its examples).
file(GLOB _scenario_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/scenarios/*.toml)
# Estimation specs (estimate_*.toml, docs/estimation.md) are checked through to their moments.
foreach(_file ${_scenario_files})
  get_filename_component(_name ${_file} NAME_WE)
  if(_name MATCHES "^estimate_")
    add_test(NAME estimation_specs.${_name} COMMAND policysim estimate ${_file} --check)
    set_tests_properties(estimation_specs.${_name} PROPERTIES LABELS fast)
    continue()
  endif()
  add_test(NAME scenario_runs.${_name}
           COMMAND policysim run ${_file} --steps 4 --out ${_runs}/smoke_${_name}.h5 --force --quiet)
  set_tests_properties(scenario_runs.${_name} PROPERTIES LABELS fast)
endforeach()

# The benchmark scenarios (../shared/bench/DECLARATION.md) are ordinary scenario files.
foreach(_size small medium large xlarge)
  add_test(NAME bench_scenarios.validate_${_size} COMMAND policysim validate ${PROJECT_SOURCE_DIR}/bench/tie_formation_${_size}.toml)
  set_tests_properties(bench_scenarios.validate_${_size} PROPERTIES LABELS fast)
endforeach()

# Determinism: bit-identical ties for 1 and 2 threads, on history.toml (the baseline and its policies: a few
# thousand firms, 84 quarters; slow) and on a world large enough (50 agents) that the parallel
# loops over governments split their work (fast).
foreach(_case history:${PROJECT_SOURCE_DIR}/scenarios/history.toml:slow
              many_governments:${POLICYSIM_TEST_FIXTURES}/many_governments.toml:fast)
  string(REPLACE ":" ";" _parts ${_case})
  list(GET _parts 0 _name)
  list(GET _parts 1 _file)
  list(GET _parts 2 _speed)
  foreach(_threads 1 2)
    add_test(NAME determinism.${_name}.run_${_threads}_threads
             COMMAND policysim run ${_file} --threads ${_threads} --out ${_runs}/${_name}_t${_threads}.h5 --force --quiet)
    set_tests_properties(determinism.${_name}.run_${_threads}_threads
                         PROPERTIES FIXTURES_SETUP determinism_${_name} LABELS ${_speed})
  endforeach()
  add_test(NAME determinism.${_name}.threads_1_vs_2
           COMMAND ${POLICYSIM_COMPARE_RUNS} ${_runs}/${_name}_t1.h5 ${_runs}/${_name}_t2.h5 identical)
  set_tests_properties(determinism.${_name}.threads_1_vs_2
                       PROPERTIES FIXTURES_REQUIRED determinism_${_name} LABELS ${_speed})
endforeach()

# OMP_NUM_THREADS is honoured too (and gives the same result).
add_test(NAME determinism.omp_num_threads.run
         COMMAND ${CMAKE_COMMAND} -E env OMP_NUM_THREADS=2
                 $<TARGET_FILE:policysim> run ${POLICYSIM_TEST_FIXTURES}/many_governments.toml
                 --out ${_runs}/many_governments_env2.h5 --force --quiet)
set_tests_properties(determinism.omp_num_threads.run PROPERTIES FIXTURES_SETUP determinism_env LABELS fast)
add_test(NAME determinism.omp_num_threads.same_as_1_thread
         COMMAND ${POLICYSIM_COMPARE_RUNS} ${_runs}/many_governments_t1.h5 ${_runs}/many_governments_env2.h5 identical)
set_tests_properties(determinism.omp_num_threads.same_as_1_thread
                     PROPERTIES FIXTURES_REQUIRED "determinism_env;determinism_many_governments" LABELS fast)

# Common random numbers: each what-if is history.toml plus events from its first quarter on; same
# seed, so the two runs agree on every row up to that quarter and differ after. Full runs of the
# history and of each what-if: slow.
foreach(_case post_abe:2020Q3 post_netanyahu:2021Q2 israel_china_5g:2019Q2 olympics_threat:2019Q3
              us_disengages:2017Q2 us_trilateral:2020Q1 eu_japan_data:2019Q1 direct_flights:2019Q3
              all_drivers_reversed:2020Q3)
  string(REPLACE ":" ";" _parts ${_case})
  list(GET _parts 0 _name)
  list(GET _parts 1 _first)
  add_test(NAME common_random_numbers.run_${_name}
           COMMAND policysim run ${PROJECT_SOURCE_DIR}/scenarios/${_name}.toml --out ${_runs}/${_name}.h5 --force --quiet)
  set_tests_properties(common_random_numbers.run_${_name} PROPERTIES FIXTURES_SETUP crn_${_name} LABELS slow)
  add_test(NAME common_random_numbers.${_name}_vs_history
           COMMAND ${POLICYSIM_COMPARE_RUNS} ${_runs}/history_t1.h5 ${_runs}/${_name}.h5 same-before ${_first})
  set_tests_properties(common_random_numbers.${_name}_vs_history
                       PROPERTIES FIXTURES_REQUIRED "crn_${_name};determinism_history" LABELS slow)
endforeach()

# The regression guard of bench/tie_formation.sh: the plain kernel forms the very same ties as
# policysim on the small benchmark (untimed; the script times them).
add_test(NAME bench_scenarios.kernel_run COMMAND tie_formation_kernel 1000 --steps 100 --seed 1
         --edges ${_runs}/kernel_small_edges.txt)
add_test(NAME bench_scenarios.policysim_small
         COMMAND policysim run ${PROJECT_SOURCE_DIR}/bench/tie_formation_small.toml --out ${_runs}/bench_small.h5 --force --quiet)
add_test(NAME bench_scenarios.kernel_same_ties
         COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/bench/check_kernel_ties.py ${_runs}/kernel_small_edges.txt
                 ${_runs}/bench_small.h5)
set_tests_properties(bench_scenarios.kernel_run bench_scenarios.policysim_small PROPERTIES FIXTURES_SETUP bench_kernel_runs)
set_tests_properties(bench_scenarios.kernel_same_ties PROPERTIES FIXTURES_REQUIRED bench_kernel_runs)
set_tests_properties(bench_scenarios.kernel_run bench_scenarios.policysim_small bench_scenarios.kernel_same_ties
                     PROPERTIES LABELS fast)

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

# Common random numbers: each what-if is the baseline plus events from its first quarter on; same
# seed, so the two runs agree on every row up to that quarter and differ after.
foreach(_case post_abe:2020Q3 post_netanyahu:2021Q2 israel_china_5g:2019Q2 olympics_threat:2019Q3
              us_disengages:2017Q2 us_trilateral:2020Q1 eu_japan_data:2019Q1 direct_flights:2019Q3)
  string(REPLACE ":" ";" _parts ${_case})
  list(GET _parts 0 _name)
  list(GET _parts 1 _first)
  add_test(NAME common_random_numbers.run_${_name}
           COMMAND policysim run ${PROJECT_SOURCE_DIR}/scenarios/${_name}.toml --out ${_scenario_tmp}/${_name}.h5 --force --quiet)
  set_tests_properties(common_random_numbers.run_${_name} PROPERTIES FIXTURES_SETUP crn_${_name})
  add_test(NAME common_random_numbers.${_name}_vs_baseline
           COMMAND ${Python3_EXECUTABLE} ${_compare} ${_scenario_tmp}/baseline_t1.h5 ${_scenario_tmp}/${_name}.h5
                   same-before ${_first})
  set_tests_properties(common_random_numbers.${_name}_vs_baseline
                       PROPERTIES FIXTURES_REQUIRED "crn_${_name};determinism_baseline")
endforeach()

# docs/scenarios.md is the output of `policysim compare` on the what-ifs: regenerate it and fail
# when the committed page differs (run the command in the page's header to update it).
set(_whatifs post_abe post_netanyahu israel_china_5g olympics_threat us_disengages us_trilateral eu_japan_data
             direct_flights)
set(_whatif_files ${PROJECT_SOURCE_DIR}/scenarios/baseline.toml)
foreach(_name ${_whatifs})
  list(APPEND _whatif_files ${PROJECT_SOURCE_DIR}/scenarios/${_name}.toml)
endforeach()
add_test(NAME scenarios.docs_regenerate
         COMMAND policysim compare ${_whatif_files} --seeds 20 --markdown ${_scenario_tmp}/scenarios.md)
set_tests_properties(scenarios.docs_regenerate PROPERTIES FIXTURES_SETUP scenarios_docs)
add_test(NAME scenarios.docs_up_to_date
         COMMAND ${CMAKE_COMMAND} -E compare_files ${_scenario_tmp}/scenarios.md ${PROJECT_SOURCE_DIR}/docs/scenarios.md)
set_tests_properties(scenarios.docs_up_to_date PROPERTIES FIXTURES_REQUIRED scenarios_docs)

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

# Firms: a run with firm populations writes /firms, /b2b_cooperation and the B2B aggregates,
# and the file passes the same h5py, xarray and docs checks.
add_test(NAME firms.run_firms_small
         COMMAND policysim run ${CMAKE_CURRENT_LIST_DIR}/firms_small.toml --out ${_scenario_tmp}/firms_small.h5 --force --quiet)
set_tests_properties(firms.run_firms_small PROPERTIES FIXTURES_SETUP firms_small)
foreach(_reader h5py xarray docs)
  add_test(NAME output.firms_small_${_reader}
           COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/output/check_output.py ${_reader}
                   ${_scenario_tmp}/firms_small.h5 --docs ${PROJECT_SOURCE_DIR}/docs/output.md)
  set_tests_properties(output.firms_small_${_reader} PROPERTIES FIXTURES_REQUIRED firms_small)
endforeach()
add_test(NAME firms.output_consistent
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/check_firm_output.py ${_scenario_tmp}/firms_small.h5)
set_tests_properties(firms.output_consistent PROPERTIES FIXTURES_REQUIRED firms_small)

# The benchmark scenarios (../shared/bench/DECLARATION.md) are ordinary scenario files.
foreach(_size small medium large)
  add_test(NAME bench_scenarios.validate_${_size} COMMAND policysim validate ${PROJECT_SOURCE_DIR}/bench/tie_formation_${_size}.toml)
endforeach()

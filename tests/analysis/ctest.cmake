# The analysis package (python3 -m analysis): unittest suites run by tests/analysis/run_tests.py,
# which prints every test and a count and fails when a test fails or none ran. Each suite is
# its own CTest test so that they run in parallel.
set(_analysis_runner ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/run_tests.py)
set(_analysis_tmp ${CMAKE_CURRENT_BINARY_DIR}/analysis_tmp)
file(MAKE_DIRECTORY ${_analysis_tmp})

foreach(_suite numerics plots sweeps docs usage images)
  add_test(NAME analysis.${_suite} COMMAND ${_analysis_runner} test_${_suite}.py WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(analysis.${_suite} PROPERTIES TIMEOUT 900 LABELS fast
    ENVIRONMENT "MPLBACKEND=Agg;POLICYSIM_ANALYSIS_TMP=${_analysis_tmp}")
endforeach()

# The same plots on the files `policysim run` writes (history.toml and the post_abe what-if,
# made by the scenario library's runs: slow), through the command line, as the quickstart calls it.
add_test(NAME analysis.cli_runs COMMAND ${_analysis_runner} test_cli_runs.py WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(analysis.cli_runs PROPERTIES TIMEOUT 900 LABELS slow
  FIXTURES_REQUIRED "determinism_history;crn_post_abe"
  ENVIRONMENT "MPLBACKEND=Agg;POLICYSIM_ANALYSIS_TMP=${_analysis_tmp};POLICYSIM_ANALYSIS_RUNS=${POLICYSIM_TEST_RUNS}/history_t1.h5|${POLICYSIM_TEST_RUNS}/post_abe.h5;POLICYSIM_BINARY=$<TARGET_FILE:policysim>")

# sweep, sensitivity and discover on files from the real sweep runner (`policysim sweep` on the
# example specs of tests/analysis/sweeps/, run on the small world and made smaller with --set).
add_test(NAME analysis.real_sweeps COMMAND ${_analysis_runner} test_real_sweeps.py WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(analysis.real_sweeps PROPERTIES TIMEOUT 900 LABELS fast COST 60
  ENVIRONMENT "MPLBACKEND=Agg;POLICYSIM_ANALYSIS_TMP=${_analysis_tmp};POLICYSIM_BINARY=$<TARGET_FILE:policysim>")

# analysis.reading.firm_table on a file policysim writes: the firm table's codes named from
# /firm_categories agree with each population's declared countries, sector and count.
add_test(NAME analysis.firm_table COMMAND ${_analysis_runner} test_firm_table.py WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(analysis.firm_table PROPERTIES TIMEOUT 300 LABELS fast
  ENVIRONMENT "POLICYSIM_ANALYSIS_TMP=${_analysis_tmp};POLICYSIM_BINARY=$<TARGET_FILE:policysim>")

# Every picture of docs/images/ is current: its stamp (docs/images/<name>.inputs) lists the
# SHA-256 of what it was drawn from (scenario and sweep files with what they extend, sim/, the
# analysis modules, scripts/images.py), and they all match; otherwise the test names the stale
# pictures and the command that regenerates them (bash scripts/regenerate_images.sh).
add_test(NAME docs.images_current COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/images.py check)
set_tests_properties(docs.images_current PROPERTIES LABELS fast)

# The calibration and compare commands through the real command line (sim/calibration, sim/cli).
# The 20-seed report of the baseline runs once per test run, in calibration.baseline_report
# (tests/CMakeLists.txt), which checks every target on it; `policysim calibrate` itself, with
# --check, is tested on the small world with 2 seeds (tests/cli/cli_test.cpp).

# docs/scenarios.md is the output of `policysim compare` over the what-ifs, 20 seeds each (the
# command in its header). Regenerating it takes about 8 minutes on 2 cores, longer than the whole
# suite may take, so CTest checks it in two cheaper ways (tests/calibration/scenarios_doc.py):
# - fast: every input of its numbers (scenario files, build files, the sources under sim/ that
#   compare runs) is as listed in docs/scenarios.inputs when the page was generated; a change to
#   one fails the test, which names the file (scripts/regenerate_scenarios_doc.sh regenerates both);
# - slow: the page's own command, with 2 seeds instead of 20, writes a page of the same layout
#   (what-ifs, outcomes, tables), so the command in the header still produces this page.
add_test(NAME scenarios.docs_inputs_unchanged
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/scenarios_doc.py inputs --check)
set_tests_properties(scenarios.docs_inputs_unchanged PROPERTIES LABELS fast)

add_test(NAME scenarios.docs_command_2_seeds
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/scenarios_doc.py layout --policysim $<TARGET_FILE:policysim>
                 --out ${POLICYSIM_TEST_RUNS}/scenarios_2_seeds.md)
set_tests_properties(scenarios.docs_command_2_seeds PROPERTIES LABELS slow TIMEOUT 900 COST 100)

# `policysim compare` for users (--pair, --measure, --out, progress, bad input) on the small world
# cut to 24 quarters: the --out file's differences against two `policysim run`s per seed.
add_test(NAME calibration.compare_out
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/compare_out.py --policysim $<TARGET_FILE:policysim>
                 --tmp ${POLICYSIM_TEST_RUNS})
set_tests_properties(calibration.compare_out PROPERTIES LABELS fast TIMEOUT 600)

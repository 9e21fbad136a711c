# The hostile-input catalogue (tests/cli/hostile_inputs/cases.txt): one CTest per case, each
# asserting the exit status, a one-line message, completion within a second and an untouched
# output folder (run_case.py). docs/reliability.md says what each group guards.
set(_hostile_dir ${CMAKE_CURRENT_LIST_DIR}/hostile_inputs)
set(_hostile_work ${CMAKE_CURRENT_BINARY_DIR}/hostile_runs)
file(MAKE_DIRECTORY ${_hostile_work})
file(STRINGS ${_hostile_dir}/cases.txt _hostile_lines)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_hostile_dir}/cases.txt)
foreach(_line IN LISTS _hostile_lines)
  if(_line MATCHES "^([a-z0-9_]+) \\| ")
    set(_case ${CMAKE_MATCH_1})
    add_test(NAME cli.hostile.${_case}
             COMMAND ${Python3_EXECUTABLE} ${_hostile_dir}/run_case.py --policysim $<TARGET_FILE:policysim>
                     --case ${_case} --work ${_hostile_work} --fixtures ${POLICYSIM_TEST_FIXTURES})
    set_tests_properties(cli.hostile.${_case} PROPERTIES LABELS fast TIMEOUT 60)
  endif()
endforeach()

# A full disk: `run` and `sweep` with --out on a 2 MB tmpfs (mounted by the test; we run as root,
# as CI does) exit 1 with a message, no signal, and leave no file there. Where the mount is refused
# the test skips, except under CI=true, where it fails (tests/cli/disk_full.py).
add_test(NAME cli.disk_full
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/disk_full.py --policysim $<TARGET_FILE:policysim>
                 --scenario ${POLICYSIM_TEST_FIXTURES}/many_governments.toml --work ${_hostile_work})
set_tests_properties(cli.disk_full PROPERTIES LABELS fast TIMEOUT 120 SKIP_RETURN_CODE 77)

# Two runs racing for one output: exactly one lands its .h5 and summary, the other exits 2 and
# leaves nothing; stale temporaries of a dead process are removed, a live one's are kept.
add_test(NAME cli.output_commits_as_one
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/commit_as_one.py --policysim $<TARGET_FILE:policysim>
                 --scenario ${_hostile_dir}/ok.toml --work ${_hostile_work})
set_tests_properties(cli.output_commits_as_one PROPERTIES LABELS fast TIMEOUT 120)

# docs/tutorial.md as a student runs it: its ```sh blocks, in order, as one bash script in a fresh
# folder with a copy of scenarios/ and `policysim` on PATH; any failing command fails the test.
# About 30 s of full-baseline runs (history and a what-if, compare over 2 seeds): slow.
set(_tutorial_work ${CMAKE_CURRENT_BINARY_DIR}/tutorial_runs)
file(MAKE_DIRECTORY ${_tutorial_work})
add_test(NAME tutorial.commands
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/run_tutorial.py --policysim $<TARGET_FILE:policysim>
                 --page ${PROJECT_SOURCE_DIR}/docs/tutorial.md --source ${PROJECT_SOURCE_DIR} --work ${_tutorial_work})
set_tests_properties(tutorial.commands PROPERTIES LABELS slow TIMEOUT 600 COST 60)

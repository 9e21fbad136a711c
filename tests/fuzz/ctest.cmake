# The fuzz targets' corpus, replayed by the normal build on every test run (docs/reliability.md,
# "Fuzzing"): each entry point (fuzz_*.cpp) linked with replay_main.cpp
# instead of libFuzzer, run on every file of its committed corpus. A corpus input that crashes, or
# makes the loader throw anything but ScenarioError, fails the test, without clang.
set(_fuzz_dir ${CMAKE_CURRENT_LIST_DIR})
foreach(_target scenario sweep_spec)
  add_executable(fuzz_${_target}_replay ${_fuzz_dir}/fuzz_${_target}.cpp ${_fuzz_dir}/fuzz_support.cpp
                 ${_fuzz_dir}/replay_main.cpp)
  target_link_libraries(fuzz_${_target}_replay PRIVATE policysim_lib policysim_warnings)
  target_compile_definitions(fuzz_${_target}_replay PRIVATE POLICYSIM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
endforeach()
add_test(NAME fuzz.replay_scenario COMMAND fuzz_scenario_replay ${_fuzz_dir}/corpus_scenario)
add_test(NAME fuzz.replay_sweep_spec COMMAND fuzz_sweep_spec_replay ${_fuzz_dir}/corpus_sweep)
set_tests_properties(fuzz.replay_scenario fuzz.replay_sweep_spec PROPERTIES LABELS fast TIMEOUT 120)

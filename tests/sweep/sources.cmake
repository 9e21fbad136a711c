# Tests of sim/sweep/ (designs, plan, runner, journal, statistics) and of `policysim sweep`; tagged [sweep].
target_sources(policysim_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/design_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/plan_warnings_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/runner_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/statistics_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sweep_cli_test.cpp)

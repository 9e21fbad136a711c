# Tests of the measure catalogue (sim/measures/); tagged [measures].
target_sources(policysim_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/measures_test.cpp)

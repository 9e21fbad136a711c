# The calibrated baseline against the sources' targets, the targets file and its evaluator, and
# what-if comparisons (sim/calibration); tagged [calibration].
target_sources(policysim_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/calibration_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/compare_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lapse_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/score_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/targets_test.cpp)

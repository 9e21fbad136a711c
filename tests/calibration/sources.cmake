# The calibrated baseline against the sources' targets (sim/calibration); tagged [calibration].
target_sources(policysim_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/calibration_test.cpp)

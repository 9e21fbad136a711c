# Tests of sim/scenario/ (files, extends, --set, validation and its messages, the lines of the CSV
# files read beside a scenario); tagged [scenario].
# fixtures/ holds the small scenario files other tests run on; library/ctest.cmake runs every
# file of scenarios/ through the command line.
target_sources(policysim_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/load_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/toml_guard_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/extends_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/overwrites_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bad_input_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/csv_line_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pair_label_and_joined_test.cpp)

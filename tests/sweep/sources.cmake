target_sources(policysim_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/design_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/runner_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/statistics_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sweep_cli_test.cpp)

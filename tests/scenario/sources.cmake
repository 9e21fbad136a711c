target_sources(policysim_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/load_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/extends_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bad_input_test.cpp)

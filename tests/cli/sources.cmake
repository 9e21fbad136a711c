target_sources(policysim_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/cli_test.cpp)

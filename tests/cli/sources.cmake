# Tests of the command line in sim/cli/ as a user meets it (exit codes, messages, files); tagged [cli].
target_sources(policysim_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/cli_test.cpp ${CMAKE_CURRENT_LIST_DIR}/explain_cli_test.cpp
                                       ${CMAKE_CURRENT_LIST_DIR}/workflow_cli_test.cpp)

# Tests of the science in sim/dynamics/ (and the model state it moves); tagged [dynamics].
target_sources(policysim_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/determinism_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/effects_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/events_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mechanism_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/milestones_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/phase_timings_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/random_streams_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/set_attribute_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/step_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/trade_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/utility_trace_test.cpp)

# Tests of sim/estimation/ (spec, moments, the sampler) and of `policysim estimate`; tagged [estimation].
target_sources(policysim_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/estimate_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/parameter_draws_test.cpp)

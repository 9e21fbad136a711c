# Estimation: the spec loader (estimate_spec), moments read from a sweep's run records (moments),
# the APMC sampler built on the sweep engine (estimate), the result as the file's contents (estimate_output).
target_sources(policysim_estimation PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/estimate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/estimate_output.cpp
  ${CMAKE_CURRENT_LIST_DIR}/estimate_spec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/moments.cpp
  ${CMAKE_CURRENT_LIST_DIR}/parameter_draws.cpp)

target_sources(policysim PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/calibrate_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/compare_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/describe_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/environment.cpp
  ${CMAKE_CURRENT_LIST_DIR}/estimate_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/explain_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/main.cpp
  ${CMAKE_CURRENT_LIST_DIR}/run_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/run_summary.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scenario_input.cpp
  ${CMAKE_CURRENT_LIST_DIR}/score_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/show_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sweep_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/validate_command.cpp)

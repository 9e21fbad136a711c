target_sources(policysim PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/describe_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/main.cpp
  ${CMAKE_CURRENT_LIST_DIR}/run_summary.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scenario_input.cpp
  ${CMAKE_CURRENT_LIST_DIR}/show_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/validate_command.cpp)
# TEMPORARY while sim/output/recorder.cpp is being written: run needs it.
if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/../output/recorder.cpp)
  target_sources(policysim PRIVATE ${CMAKE_CURRENT_LIST_DIR}/run_command.cpp)
else()
  target_sources(policysim PRIVATE ${CMAKE_CURRENT_LIST_DIR}/run_command_unavailable.cpp)
endif()

target_sources(policysim_scenario PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/build.cpp
  ${CMAKE_CURRENT_LIST_DIR}/csv_line.cpp
  ${CMAKE_CURRENT_LIST_DIR}/document.cpp
  ${CMAKE_CURRENT_LIST_DIR}/firms_section.cpp
  ${CMAKE_CURRENT_LIST_DIR}/government_sections.cpp
  ${CMAKE_CURRENT_LIST_DIR}/load.cpp
  ${CMAKE_CURRENT_LIST_DIR}/overwrites.cpp
  ${CMAKE_CURRENT_LIST_DIR}/suggest.cpp
  ${CMAKE_CURRENT_LIST_DIR}/toml_guard.cpp
  ${CMAKE_CURRENT_LIST_DIR}/values.cpp)

target_sources(policysim PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/main.cpp)

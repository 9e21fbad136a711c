target_sources(policysim_model PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/calendar.cpp
  ${CMAKE_CURRENT_LIST_DIR}/firms.cpp
  ${CMAKE_CURRENT_LIST_DIR}/government.cpp
  ${CMAKE_CURRENT_LIST_DIR}/in_order_sum.cpp
  ${CMAKE_CURRENT_LIST_DIR}/in_place_blocks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/layers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/leader_affinity.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pair_attributes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/parallel_sort.cpp
  ${CMAKE_CURRENT_LIST_DIR}/thread_team.cpp)

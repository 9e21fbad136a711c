# Tests of the model state in sim/model/ (calendar, governments, huge pages, the in-order sum by pieces, the parallel sort, rewriting in place, thread shares, the thread team started ahead, column resizing, the tie columns' room in front); tagged [model].
target_sources(policysim_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/calendar_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/government_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/huge_pages_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/in_order_sum_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/in_place_blocks_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/parallel_sort_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/resize_for_overwrite_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/thread_shares_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/thread_team_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tie_column_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/world_equality_test.cpp)

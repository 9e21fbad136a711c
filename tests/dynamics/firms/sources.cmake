# Tests of the firm layer in sim/dynamics/firms/ (B2B cooperation and trade, firm generation and
# events, and the firm state of sim/model/firms); tagged [firms].
target_sources(policysim_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/firm_network_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/b2b_country_aggregates_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/b2b_dynamics_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/b2b_tie_update_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/logistic_draws_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/firm_scenario_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/firm_extensions_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/b2b_trade_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pick_index_test.cpp)

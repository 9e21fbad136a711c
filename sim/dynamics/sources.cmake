target_sources(policysim_lib PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/effects/catalogue.cpp
  ${CMAKE_CURRENT_LIST_DIR}/effects/politics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/effects/structural.cpp
  ${CMAKE_CURRENT_LIST_DIR}/events/catalogue.cpp
  ${CMAKE_CURRENT_LIST_DIR}/events/china_ties.cpp
  ${CMAKE_CURRENT_LIST_DIR}/events/cyber_incident.cpp
  ${CMAKE_CURRENT_LIST_DIR}/events/leadership_change.cpp
  ${CMAKE_CURRENT_LIST_DIR}/firms/b2b_cooperation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/firms/firm_effects.cpp
  ${CMAKE_CURRENT_LIST_DIR}/firms/firm_generation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/metrics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/random_streams.cpp
  ${CMAKE_CURRENT_LIST_DIR}/run.cpp
  ${CMAKE_CURRENT_LIST_DIR}/step.cpp)

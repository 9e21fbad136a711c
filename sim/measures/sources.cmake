# The measure catalogue: what a run measures, read by name by the files, the summary, compare and
# calibration. Reads model, scenario and dynamics; no HDF5 or TOML.
target_sources(policysim_lib PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/catalogue.cpp
  ${CMAKE_CURRENT_LIST_DIR}/firms.cpp
  ${CMAKE_CURRENT_LIST_DIR}/milestones.cpp
  ${CMAKE_CURRENT_LIST_DIR}/network.cpp)

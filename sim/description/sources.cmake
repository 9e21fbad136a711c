# The frozen description of an experiment (Scenario, firm settings): what a validated scenario file
# becomes. Below dynamics: it names catalogue entries by id and includes no dynamics, TOML or HDF5.
target_sources(policysim_description PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/scenario.cpp)

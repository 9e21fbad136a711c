# Catch2 tests of the HDF5 recorder; they read files back with the HDF5 C API.
target_sources(policysim_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/appendable_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/atomic_file_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dimension_scales_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/plane_coding_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/recorder_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tiny_scenario.cpp)
target_link_libraries(policysim_tests PRIVATE ${HDF5_HL_LIBRARIES} ${HDF5_LIBRARIES})

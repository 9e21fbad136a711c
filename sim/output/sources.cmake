# The HDF5 recorder. HDF5 headers are included only by the files of this folder.
target_sources(policysim_output PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_write.cpp
  ${CMAKE_CURRENT_LIST_DIR}/recorder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sweep_file.cpp)

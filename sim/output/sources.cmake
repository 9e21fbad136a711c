# The HDF5 writers. HDF5 headers are included only by the files of this folder.
# One core shared by the run file and the sweep file: atomic_file (write under a temporary name,
# then rename), hdf5_write (checked calls, text, attributes, scales), appendable (datasets that
# grow by rows, the time axis) and log_table (the event and milestone logs, edge-list snapshots).
target_sources(policysim_output PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/appendable.cpp
  ${CMAKE_CURRENT_LIST_DIR}/atomic_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/compare_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/estimate_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/explain_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_write.cpp
  ${CMAKE_CURRENT_LIST_DIR}/log_table.cpp
  ${CMAKE_CURRENT_LIST_DIR}/plane_coding.cpp
  ${CMAKE_CURRENT_LIST_DIR}/recorder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/score_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sweep_file.cpp)

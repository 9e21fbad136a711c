# Python checks of the HDF5 output: does the file open where users open it (h5py, xarray with
# the netcdf4 engine, the snippets of docs/output.md)? A test-only writer makes a sample file
# first (fixture output_sample); check_output.py takes any file, so the CLI's output can be
# checked the same way.
add_executable(output_sample_writer ${CMAKE_CURRENT_LIST_DIR}/sample_writer.cpp ${CMAKE_CURRENT_LIST_DIR}/tiny_scenario.cpp)
target_link_libraries(output_sample_writer PRIVATE policysim_lib policysim_warnings)
target_include_directories(output_sample_writer PRIVATE ${PROJECT_SOURCE_DIR})

set(POLICYSIM_OUTPUT_SAMPLE ${CMAKE_CURRENT_BINARY_DIR}/tmp/output_sample.h5)
set(POLICYSIM_OUTPUT_CHECK ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/check_output.py)

# The writer replaces an older sample; when it fails, the checks that need it do not run.
add_test(NAME output.sample_write COMMAND output_sample_writer ${POLICYSIM_OUTPUT_SAMPLE})
set_tests_properties(output.sample_write PROPERTIES FIXTURES_SETUP output_sample)

foreach(check h5py xarray docs)
  add_test(NAME output.sample_${check}
    COMMAND ${POLICYSIM_OUTPUT_CHECK} ${check} ${POLICYSIM_OUTPUT_SAMPLE} --docs ${PROJECT_SOURCE_DIR}/docs/output.md)
  set_tests_properties(output.sample_${check} PROPERTIES FIXTURES_REQUIRED output_sample TIMEOUT 900)
endforeach()

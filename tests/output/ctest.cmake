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
set_tests_properties(output.sample_write PROPERTIES FIXTURES_SETUP output_sample LABELS fast)

# One file, checked by the three readers of check_output.py (h5py; xarray's netcdf4 engine, each
# group in a child process; the snippets of docs/output.md), once the fixture that writes it has run:
# tests output.<name>_h5py, output.<name>_xarray and output.<name>_docs.
function(policysim_check_file_readers name file fixture label)
  foreach(reader h5py xarray docs)
    add_test(NAME output.${name}_${reader}
             COMMAND ${POLICYSIM_OUTPUT_CHECK} ${reader} ${file} --docs ${PROJECT_SOURCE_DIR}/docs/output.md)
    set_tests_properties(output.${name}_${reader} PROPERTIES FIXTURES_REQUIRED ${fixture} TIMEOUT 900 LABELS ${label})
  endforeach()
endfunction()

policysim_check_file_readers(sample ${POLICYSIM_OUTPUT_SAMPLE} output_sample fast)

# The file a user gets from `policysim run` of the baseline (made by the scenario library's
# determinism runs) opens with h5py, with xarray's netcdf4 engine (each group in a child process)
# and with the docs' snippets, as the sample file does.
policysim_check_file_readers(cli_history ${POLICYSIM_TEST_RUNS}/history_t1.h5 determinism_history slow)

# Firms: a run with firm populations (tests/scenario/fixtures/firms_small.toml) writes /firms,
# /b2b_cooperation and the B2B aggregates, the file passes the same h5py, xarray and docs checks,
# and its firm datasets agree with each other (check_firm_output.py).
add_test(NAME firms.run_firms_small
         COMMAND policysim run ${POLICYSIM_TEST_FIXTURES}/firms_small.toml --out ${POLICYSIM_TEST_RUNS}/firms_small.h5
                 --force --quiet)
set_tests_properties(firms.run_firms_small PROPERTIES FIXTURES_SETUP firms_small LABELS fast)
policysim_check_file_readers(firms_small ${POLICYSIM_TEST_RUNS}/firms_small.h5 firms_small fast)
add_test(NAME firms.output_consistent
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/check_firm_output.py ${POLICYSIM_TEST_RUNS}/firms_small.h5)
set_tests_properties(firms.output_consistent PROPERTIES FIXTURES_REQUIRED firms_small LABELS fast)

# Reproducible bytes: two runs of the same command give identical files (no timestamps anywhere).
add_test(NAME output.same_bytes
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/same_bytes.sh $<TARGET_FILE:policysim>
                 ${POLICYSIM_TEST_FIXTURES}/firms_small.toml ${CMAKE_CURRENT_BINARY_DIR}/tmp/same_bytes)
set_tests_properties(output.same_bytes PROPERTIES LABELS fast TIMEOUT 120)

# HDF5 linked statically (POLICYSIM_STATIC_HDF5, the default): the CLI loads no shared libhdf5 and
# no libcurl.
if(POLICYSIM_STATIC_HDF5)
  add_test(NAME output.static_hdf5 COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/check_static_hdf5.sh $<TARGET_FILE:policysim>)
  set_tests_properties(output.static_hdf5 PROPERTIES LABELS fast TIMEOUT 60)
endif()

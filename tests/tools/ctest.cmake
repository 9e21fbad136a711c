# tools/: the data scripts. The gravity fit of tools/baseline_data.py (which sets the trade
# coefficients of scenarios/baseline.toml) must recover known coefficients from synthetic flows.
add_test(NAME tools.gravity_fit COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/test_gravity_fit.py
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(tools.gravity_fit PROPERTIES LABELS fast TIMEOUT 120)

# tools/validation_table.py (the tables of docs/validation.md): split classes, disagreement flags,
# the null forecasts and the parsing of calibrate's output, on hand-made targets.
add_test(NAME tools.validation_table COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/test_validation_table.py
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(tools.validation_table PROPERTIES LABELS fast TIMEOUT 60)

# bench/thread_parts.py (where a run on threads loses against one thread, part by part): the
# parsing of `run --timings` and the losses on hand-made tables, then one live round on the small
# benchmark.
add_test(NAME tools.thread_parts COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/test_thread_parts.py $<TARGET_FILE:policysim>
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(tools.thread_parts PROPERTIES LABELS fast TIMEOUT 120)

# bench/region_timings.py and its library (each OpenMP region's time, its threads' finish spread,
# the serial time before it): the report's parsing and the regions' names on hand-made reports, then
# one live run of the small benchmark on two threads.
add_test(NAME tools.region_timings
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/test_region_timings.py $<TARGET_FILE:policysim> $<TARGET_FILE:region_timings>
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(tools.region_timings PROPERTIES LABELS fast TIMEOUT 120)

# bench/run_timed.py (bench/tie_formation.sh's timer): CPU seconds to the microsecond, the peak
# memory and the wall time of a child that burns CPU and holds 64 MiB; exit statuses passed on.
add_test(NAME tools.run_timed COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/test_run_timed.py
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(tools.run_timed PROPERTIES LABELS fast TIMEOUT 60)

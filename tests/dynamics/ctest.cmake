# One door for randomness: no code under sim/ or bench/ builds random streams of its own; and the
# check fails on a file that does (a fixture that is never compiled).
add_test(NAME random_streams.one_door
         COMMAND ${CMAKE_COMMAND} -DROOT=${PROJECT_SOURCE_DIR} -P ${CMAKE_CURRENT_LIST_DIR}/random_streams_door.cmake)
add_test(NAME random_streams.door_catches_a_rogue_stream
         COMMAND ${CMAKE_COMMAND} -DROOT=${CMAKE_CURRENT_LIST_DIR}/random_door_fixture
                 -P ${CMAKE_CURRENT_LIST_DIR}/random_streams_door.cmake)
# It must fail for the right reason: the rogue constructor, named with its file and line (CTest
# ignores the exit code when PASS_REGULAR_EXPRESSION is set; the message only comes with a failure).
set_tests_properties(random_streams.door_catches_a_rogue_stream PROPERTIES
  PASS_REGULAR_EXPRESSION "sim/dynamics/events/[a-z_]+\\.cpp:[0-9]+: constructs RandomStreams")
set_tests_properties(random_streams.one_door random_streams.door_catches_a_rogue_stream PROPERTIES LABELS fast TIMEOUT 60)

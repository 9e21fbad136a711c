# cmake -DBINARY_DIR=... -DTARGET=... -DEXPECT=(success|failure) [-DMESSAGE=regex] -P expect_build.cmake
# Builds one probe target of tests/layers and checks the outcome: a forbidden include must fail to
# compile with the expected message (so the probe fails for the right reason), an allowed one must build.
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} --target ${TARGET}
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(EXPECT STREQUAL "success")
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${TARGET} should compile but did not:\n${output}")
  endif()
  message(STATUS "${TARGET}: compiles, as it should")
else()
  if(result EQUAL 0)
    message(FATAL_ERROR "${TARGET} compiled, but its include crosses the layers the wrong way: the build no longer enforces the layers")
  endif()
  if(NOT output MATCHES "${MESSAGE}")
    message(FATAL_ERROR "${TARGET} failed, but not with the expected missing header (${MESSAGE}):\n${output}")
  endif()
  message(STATUS "${TARGET}: refused, as it should (${MESSAGE})")
endif()

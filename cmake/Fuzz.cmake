# libFuzzer targets (tests/fuzz, docs/reliability.md "Fuzzing"). Set before any target is declared,
# so that every library the fuzz targets link is built with coverage instrumentation and the
# sanitizers: a fuzzer learns only from code it can see, and ASan/UBSan must watch the loader's
# own code, not just the entry point.
#   POLICYSIM_FUZZ=ON   -fsanitize=fuzzer-no-link,address,undefined on every target; the fuzz
#                       executables add -fsanitize=fuzzer (libFuzzer's main)
# libFuzzer is part of clang (Debian: clang-14, libclang_rt.fuzzer); gcc has no equivalent, so the
# option refuses any other compiler. The corpus replay (fuzz.replay_*) needs neither: it runs in
# the normal build.
option(POLICYSIM_FUZZ "Build the libFuzzer targets fuzz_scenario and fuzz_sweep_spec (clang only)" OFF)
if(NOT POLICYSIM_FUZZ)
  return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "POLICYSIM_FUZZ=ON needs clang (libFuzzer is part of clang), not ${CMAKE_CXX_COMPILER_ID}: "
                      "configure a separate build folder with -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang "
                      "(scripts/fuzz.sh does)")
endif()
if(NOT POLICYSIM_SANITIZE STREQUAL "")
  message(FATAL_ERROR "POLICYSIM_FUZZ=ON brings its own sanitizers (address, undefined); leave POLICYSIM_SANITIZE empty")
endif()
# -fno-sanitize-recover=undefined: a UBSan report aborts, so libFuzzer records it as a crash and
# keeps the input, instead of a line of text in an otherwise passing run.
set(POLICYSIM_FUZZ_FLAGS -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                         -fno-omit-frame-pointer)
message(STATUS "policysim: fuzz build: ${POLICYSIM_FUZZ_FLAGS}")
add_compile_options(${POLICYSIM_FUZZ_FLAGS})
add_link_options(-fsanitize=address,undefined)

# Sanitizer builds (docs/reliability.md, "Sanitizers"). Set before any target is declared, so the
# flags reach every target in the tree: the sim/ libraries, the CLI, the tests and the benchmarks.
# gcc's own sanitizers (Debian 12, g++ 12: libasan8, libubsan1, libtsan2); no clang needed.
#   POLICYSIM_SANITIZE=address  ASan + UBSan (LeakSanitizer comes with ASan on Linux)
#   POLICYSIM_SANITIZE=thread   TSan (cannot be combined with ASan, hence a separate value)
set(POLICYSIM_SANITIZE "" CACHE STRING "Sanitizer build: empty (none), address (ASan+UBSan) or thread (TSan)")
set_property(CACHE POLICYSIM_SANITIZE PROPERTY STRINGS "" address thread)

if(POLICYSIM_SANITIZE STREQUAL "")
  return()
elseif(POLICYSIM_SANITIZE STREQUAL "address")
  # -fno-sanitize-recover=undefined: a UBSan report aborts the process, so ctest sees a failure
  # instead of a line of text in a passing test's output.
  set(_policysim_san_flags -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
elseif(POLICYSIM_SANITIZE STREQUAL "thread")
  set(_policysim_san_flags -fsanitize=thread -fno-omit-frame-pointer)
else()
  message(FATAL_ERROR "POLICYSIM_SANITIZE: expected empty, 'address' or 'thread', got '${POLICYSIM_SANITIZE}'")
endif()
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "POLICYSIM_SANITIZE needs gcc or clang, not ${CMAKE_CXX_COMPILER_ID}")
endif()
message(STATUS "policysim: sanitizer build (${POLICYSIM_SANITIZE}): ${_policysim_san_flags}")
add_compile_options(${_policysim_san_flags})
# gcc's own advice ("Options That Control Optimization", -fsanitize): sanitizers raise the rate of
# false -Wmaybe-uninitialized warnings. g++ 12 with ASan reports one inside libstdc++'s std::regex
# (std::function moved in regex_automaton.h), not in our code. Off here only; the normal -Werror
# build keeps checking it.
add_compile_options(-Wno-maybe-uninitialized)
add_link_options(${_policysim_san_flags})

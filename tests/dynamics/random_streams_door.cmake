# One door for randomness (sim/dynamics/random_streams.hpp): the run's streams are made once, by
# RandomStreams::for_run in Simulation (sim/dynamics/step.cpp), and handed to every phase and event.
# This script fails when code under ROOT/sim or ROOT/bench builds streams of its own:
#   - constructs a RandomStreams (`RandomStreams random(seed)`, `RandomStreams(seed)`) outside the module;
#   - calls RandomStreams::for_run anywhere but the module and step.cpp (the Simulation);
#   - keys Philox itself (includes Random123, uses r123::) outside the module and the sweep's design
#     numbers (sim/sweep/sampling.cpp, which draws design points and run seeds, not a run's streams);
#   - uses another generator (std::mt19937, std::random_device, default_random_engine, rand());
#   - reads simulation.seed in sim/dynamics outside the module.
# Usage: cmake -DROOT=<source tree> -P random_streams_door.cmake
cmake_minimum_required(VERSION 3.25)
if(NOT ROOT)
  message(FATAL_ERROR "usage: cmake -DROOT=<source tree> -P random_streams_door.cmake")
endif()
file(GLOB_RECURSE _files RELATIVE ${ROOT} ${ROOT}/sim/*.cpp ${ROOT}/sim/*.hpp ${ROOT}/bench/*.cpp ${ROOT}/bench/*.hpp)
set(_module "sim/dynamics/random_streams.cpp;sim/dynamics/random_streams.hpp")
set(_violations "")
foreach(_file ${_files})
  file(STRINGS ${ROOT}/${_file} _lines)
  set(_number 0)
  foreach(_line IN LISTS _lines)
    math(EXPR _number "${_number} + 1")
    string(REGEX REPLACE "//.*$" "" _code "${_line}")  # comments may name the generator
    set(_why "")
    if(NOT _file IN_LIST _module)
      if(_code MATCHES "RandomStreams[ \t]*[({]" OR _code MATCHES "RandomStreams[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]*[({]")
        set(_why "constructs RandomStreams")
      elseif(_code MATCHES "RandomStreams::for_run" AND NOT _file STREQUAL "sim/dynamics/step.cpp")
        set(_why "calls RandomStreams::for_run (only the Simulation in sim/dynamics/step.cpp makes a run's streams)")
      elseif((_code MATCHES "Random123/" OR _code MATCHES "r123::") AND NOT _file STREQUAL "sim/sweep/sampling.cpp")
        set(_why "keys Philox (Random123) itself")
      elseif(_code MATCHES "mt19937|random_device|default_random_engine|minstd_rand|[^A-Za-z_]s?rand[ \t]*\\(")
        set(_why "uses another random number generator")
      elseif(_file MATCHES "^sim/dynamics/" AND _code MATCHES "simulation\\.seed")
        set(_why "reads simulation.seed (use the RandomStreams it is given)")
      endif()
    endif()
    if(_why)
      string(STRIP "${_line}" _shown)
      list(APPEND _violations "${_file}:${_number}: ${_why}: ${_shown}")
    endif()
  endforeach()
endforeach()
if(_violations)
  list(JOIN _violations "\n" _report)
  message(FATAL_ERROR "randomness outside its one door (sim/dynamics/random_streams.hpp):\n${_report}")
endif()
list(LENGTH _files _count)
message(STATUS "one door for randomness: ${_count} files checked")

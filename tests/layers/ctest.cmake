# The layers of sim/ (sim/CMakeLists.txt), checked by building probe files against one layer's
# target: an include that crosses the layers the wrong way must fail to compile, with the missing
# header as the reason; the positive controls must compile. Probes are not part of `all`.
set(layer_probes
  # target                           layer        source                               expect   message
  "layer_probe_dynamics_hdf5         dynamics     dynamics_includes_hdf5.cpp           failure  hdf5\\.h"
  "layer_probe_dynamics_output       dynamics     dynamics_includes_output.cpp         failure  sim/output/recorder\\.hpp"
  "layer_probe_dynamics_loader       dynamics     dynamics_includes_loader.cpp         failure  sim/scenario/load\\.hpp"
  "layer_probe_description_dynamics  description  description_includes_dynamics.cpp    failure  sim/dynamics/effects/effect\\.hpp"
  "layer_probe_model_description     model        model_includes_description.cpp       failure  sim/description/scenario\\.hpp"
  "layer_probe_dynamics_allowed      dynamics     dynamics_allowed.cpp                 success  -"
  "layer_probe_output_allowed        output       output_allowed.cpp                   success  -")
foreach(probe IN LISTS layer_probes)
  string(REGEX REPLACE " +" ";" fields "${probe}")
  list(GET fields 0 target)
  list(GET fields 1 layer)
  list(GET fields 2 source)
  list(GET fields 3 expect)
  list(GET fields 4 message)
  add_library(${target} OBJECT EXCLUDE_FROM_ALL ${CMAKE_CURRENT_LIST_DIR}/probes/${source})
  # Exactly what a file of that layer sees: the layer's own include root and what it links.
  get_property(layer_private_libs GLOBAL PROPERTY POLICYSIM_LAYER_PRIVATE_LIBS_${layer})
  target_link_libraries(${target} PRIVATE policysim_${layer} ${layer_private_libs})
  add_test(NAME layers.${target}
           COMMAND ${CMAKE_COMMAND} -DBINARY_DIR=${CMAKE_BINARY_DIR} -DTARGET=${target} -DEXPECT=${expect}
                   -DMESSAGE=${message} -P ${CMAKE_CURRENT_LIST_DIR}/expect_build.cmake)
  # One build tool at a time in the build tree.
  set_tests_properties(layers.${target} PROPERTIES LABELS fast RESOURCE_LOCK build_tree TIMEOUT 300)
endforeach()

add_test(NAME layers.third_party_includes COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/check_third_party_includes.sh)
set_tests_properties(layers.third_party_includes PROPERTIES LABELS fast TIMEOUT 60)

# `policysim estimate` interrupted by SIGTERM and SIGKILL, continued with --resume: the same file.
set(_estimation_tmp ${CMAKE_CURRENT_BINARY_DIR}/estimation)
file(MAKE_DIRECTORY ${_estimation_tmp})
add_test(NAME estimation.resume_after_sigkill
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/resume_test.py --policysim $<TARGET_FILE:policysim>
                 --spec ${CMAKE_CURRENT_LIST_DIR}/resume.toml --folder ${_estimation_tmp}/resume)
set_tests_properties(estimation.resume_after_sigkill PROPERTIES TIMEOUT 300 LABELS fast COST 20)

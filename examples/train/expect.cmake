# cmake -DEXE=<program> -DARGS=<;-list> -DEXPECT_RC=<status> -DEXPECT=<regex> -P expect.cmake
# ARGS is |-separated. Runs the program and checks its exit status and that stdout+stderr match the regex. Prints
# the output, so that SKIP_REGULAR_EXPRESSION can see a skipped run.
string(REPLACE "|" ";" ARGS "${ARGS}")
execute_process(COMMAND ${EXE} ${ARGS} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if("${out}${err}" MATCHES "skipped \\(--skip-missing-data\\)")
  return()
endif()
if(NOT rc STREQUAL "${EXPECT_RC}")
  message(FATAL_ERROR "exit status ${rc}, expected ${EXPECT_RC}")
endif()
if(NOT "${out}${err}" MATCHES "${EXPECT}")
  message(FATAL_ERROR "output does not match: ${EXPECT}")
endif()

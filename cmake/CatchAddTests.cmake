# softnum's replacement for Catch2 v2.13's CatchAddTests.cmake, the script that
# catch_discover_tests() runs after each build of a test executable (tests/CMakeLists.txt points
# Catch's _CATCH_DISCOVER_TESTS_SCRIPT here). Same inputs and output, two fixes:
#  - test case names containing ';' or an unbalanced '[' are kept whole (Catch's script
#    treats the list of names as a CMake list and cuts them);
#  - '\' and a leading '~' are escaped in the test spec as well as ',', '[' and ']', so every
#    test case name selects exactly its test case.
# Inputs (-D): TEST_EXECUTABLE TEST_EXECUTOR TEST_WORKING_DIR TEST_SPEC TEST_EXTRA_ARGS
# TEST_PROPERTIES TEST_PREFIX TEST_SUFFIX TEST_LIST CTEST_FILE (TEST_REPORTER and
# TEST_OUTPUT_* are not supported). Output: CTEST_FILE, an add_test() per test case.
cmake_minimum_required(VERSION 3.21)

foreach(unsupported IN ITEMS TEST_REPORTER TEST_OUTPUT_DIR TEST_OUTPUT_PREFIX TEST_OUTPUT_SUFFIX)
  if(NOT "${${unsupported}}" STREQUAL "")
    message(FATAL_ERROR "softnum's CatchAddTests.cmake does not support ${unsupported}")
  endif()
endforeach()
if(NOT EXISTS "${TEST_EXECUTABLE}")
  message(FATAL_ERROR "Specified test executable '${TEST_EXECUTABLE}' does not exist")
endif()

# quote(<out> <value>): <value> as one CMake bracket argument, whatever it contains.
function(quote out value)
  set(eq "=")
  while(value MATCHES "\\]${eq}\\]")
    string(APPEND eq "=")
  endwhile()
  set(${out} "[${eq}[${value}]${eq}]" PARENT_SCOPE)
endfunction()

execute_process(
  COMMAND ${TEST_EXECUTOR} "${TEST_EXECUTABLE}" ${TEST_SPEC} --list-test-names-only
  OUTPUT_VARIABLE output
  RESULT_VARIABLE result
  WORKING_DIRECTORY "${TEST_WORKING_DIR}")
# Catch2 v2 exits with the number of test cases listed.
if(NOT result MATCHES "^[0-9]+$")
  message(FATAL_ERROR "Error running test executable '${TEST_EXECUTABLE}':\n"
                      "  Result: ${result}\n  Output: ${output}\n")
elseif(result EQUAL 0)
  message(WARNING "Test executable '${TEST_EXECUTABLE}' contains no (non-hidden) tests")
endif()

# Arguments shared by every test: bracket-quote each element of the lists given.
set(common_args "")
foreach(arg IN LISTS TEST_EXTRA_ARGS)
  quote(q "${arg}")
  string(APPEND common_args " ${q}")
endforeach()
set(common_props "")
foreach(prop IN LISTS TEST_PROPERTIES)
  quote(q "${prop}")
  string(APPEND common_props " ${q}")
endforeach()
quote(q_exe "${TEST_EXECUTABLE}")
quote(q_dir "${TEST_WORKING_DIR}")
set(q_executor "")
foreach(arg IN LISTS TEST_EXECUTOR)
  quote(q "${arg}")
  string(APPEND q_executor "${q} ")
endforeach()

# One name per line. The lines are split by hand, not as a CMake list, which would break names
# that contain ';' or an unbalanced '['.
set(script "")
set(all_names "")
while(NOT output STREQUAL "")
  string(FIND "${output}" "\n" eol)
  if(eol EQUAL -1)
    set(name "${output}")
    set(output "")
  else()
    string(SUBSTRING "${output}" 0 ${eol} name)
    math(EXPR eol "${eol} + 1")
    string(SUBSTRING "${output}" ${eol} -1 output)
  endif()
  string(REGEX REPLACE "\r$" "" name "${name}")
  if(name STREQUAL "")
    continue()
  endif()
  # Catch2 test spec: '\' escapes the next character; ',' separates; '[' ']' delimit tags;
  # a leading '~' negates.
  string(REPLACE "\\" "\\\\" spec "${name}")
  foreach(c IN ITEMS , [ ])
    string(REPLACE "${c}" "\\${c}" spec "${spec}")
  endforeach()
  if(spec MATCHES "^~")
    string(PREPEND spec "\\")
  endif()
  quote(q_name "${TEST_PREFIX}${name}${TEST_SUFFIX}")
  quote(q_spec "${spec}")
  string(APPEND script
    "add_test(${q_name} ${q_executor}${q_exe} ${q_spec}${common_args})\n"
    "set_tests_properties(${q_name} PROPERTIES WORKING_DIRECTORY ${q_dir}${common_props})\n")
  string(APPEND all_names " ${q_name}")
endwhile()
if(TEST_LIST)
  string(APPEND script "set(${TEST_LIST}${all_names})\n")
endif()

file(WRITE "${CTEST_FILE}" "${script}")

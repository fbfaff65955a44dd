# Package test driver: builds and runs tests/package/consumer against softnum.
#
#   cmake -DMODE=<find_package|add_subdirectory|fetch_content> -DSOURCE_DIR=<softnum source>
#         -DBUILD_DIR=<configured softnum build> -DWORK_DIR=<scratch dir>
#         [-DCXX_COMPILER=<c++>] [-DGENERATOR=<generator>] [-DMAKE_PROGRAM=<ninja/make>]
#         [-DCONFIG=<build type>]
#         -P tests/package/run.cmake
#
# find_package installs BUILD_DIR into WORK_DIR/prefix first (cmake --install), so it checks the
# installed headers, targets and version file, not the source tree.
cmake_minimum_required(VERSION 3.21)

foreach(var IN ITEMS MODE SOURCE_DIR WORK_DIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT MODE MATCHES "^(find_package|add_subdirectory|fetch_content)$")
  message(FATAL_ERROR "run.cmake: unknown MODE '${MODE}'")
endif()

function(run)
  string(REPLACE ";" " " pretty "${ARGN}")
  message(STATUS "run: ${pretty}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "package_${MODE}: command failed (${rc}): ${pretty}")
  endif()
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

set(configure_args
  -S "${SOURCE_DIR}/tests/package/consumer"
  -B "${WORK_DIR}/build"
  "-DSOFTNUM_CONSUMER_MODE=${MODE}"
  "-DSOFTNUM_SOURCE_DIR=${SOURCE_DIR}"
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(GENERATOR)
  list(APPEND configure_args -G "${GENERATOR}")
endif()
if(MAKE_PROGRAM)
  list(APPEND configure_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(CXX_COMPILER)
  list(APPEND configure_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
set(config_args "")
if(CONFIG)
  list(APPEND configure_args "-DCMAKE_BUILD_TYPE=${CONFIG}")
  set(config_args --config "${CONFIG}")
endif()

if(MODE STREQUAL "find_package")
  if(NOT DEFINED BUILD_DIR OR NOT EXISTS "${BUILD_DIR}/cmake_install.cmake")
    message(FATAL_ERROR "run.cmake: -DBUILD_DIR=<configured softnum build tree> is required")
  endif()
  set(prefix "${WORK_DIR}/prefix")
  run("${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}" ${config_args})
  foreach(f IN ITEMS include/softnum share/cmake/softnum/softnumConfig.cmake
                     share/cmake/softnum/softnumConfigVersion.cmake
                     share/cmake/softnum/softnumTargets.cmake)
    if(NOT EXISTS "${prefix}/${f}")
      message(FATAL_ERROR "package_find_package: ${prefix}/${f} was not installed")
    endif()
  endforeach()
  list(APPEND configure_args "-DCMAKE_PREFIX_PATH=${prefix}")
endif()

run("${CMAKE_COMMAND}" ${configure_args})

if(MODE STREQUAL "find_package")
  # The package must come from the fresh install, not from the system or the source tree.
  file(STRINGS "${WORK_DIR}/build/CMakeCache.txt" found_dir REGEX "^softnum_DIR:")
  string(REGEX REPLACE "^softnum_DIR:[A-Z]+=" "" found_dir "${found_dir}")
  file(REAL_PATH "${found_dir}" found_dir)
  file(REAL_PATH "${prefix}/share/cmake/softnum" expected_dir)
  if(NOT found_dir STREQUAL expected_dir)
    message(FATAL_ERROR "package_find_package: found softnum in '${found_dir}', "
                        "expected '${expected_dir}'")
  endif()
endif()

run("${CMAKE_COMMAND}" --build "${WORK_DIR}/build" ${config_args})
set(exe "${WORK_DIR}/build/bin/consumer")
if(CMAKE_HOST_WIN32)
  string(APPEND exe ".exe")
endif()
run("${exe}")
message(STATUS "package_${MODE}: OK")

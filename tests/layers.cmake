# tests/layers.cmake - fails when a header under include/softnum/ includes one from a layer above
# its own (docs/architecture.md). Run: cmake -DSOFTNUM_INCLUDE_DIR=<repo>/include -P tests/layers.cmake
#
# Layers, bottom to top (a file may include files of its own layer or below):
#   0 core/ and config.hpp   1 types/   2 gemm/   3 ops/   4 eigen.hpp   5 cuda/
# (gemm/ sits below ops/ because the registry, an operation over any type, binds GEMM hooks.)
# The other files directly in include/softnum/ are the public entry headers: only users include
# them, so a layer file that includes one (e.g. core/ including <softnum/float.hpp>) is an error
# too. A <softnum/...> include naming a file that does not exist is reported as well.

if(NOT SOFTNUM_INCLUDE_DIR)
  message(FATAL_ERROR "layers.cmake: pass -DSOFTNUM_INCLUDE_DIR=<repository>/include")
endif()
get_filename_component(SOFTNUM_INCLUDE_DIR "${SOFTNUM_INCLUDE_DIR}" ABSOLUTE)
set(root "${SOFTNUM_INCLUDE_DIR}/softnum")
if(NOT IS_DIRECTORY "${root}/core")
  message(FATAL_ERROR "layers.cmake: ${root}/core not found")
endif()

# Layer of a path relative to include/softnum/; "entry" for the public entry headers.
function(softnum_layer rel out)
  if(rel MATCHES "^core/" OR rel STREQUAL "config.hpp")
    set(${out} 0 PARENT_SCOPE)
  elseif(rel MATCHES "^types/")
    set(${out} 1 PARENT_SCOPE)
  elseif(rel MATCHES "^gemm/")
    set(${out} 2 PARENT_SCOPE)
  elseif(rel MATCHES "^ops/")
    set(${out} 3 PARENT_SCOPE)
  elseif(rel STREQUAL "eigen.hpp")
    set(${out} 4 PARENT_SCOPE)
  elseif(rel MATCHES "^cuda/")
    set(${out} 5 PARENT_SCOPE)
  elseif(rel MATCHES "/")
    set(${out} "unknown" PARENT_SCOPE)  # a folder that is no layer (e.g. a new detail/)
  else()
    set(${out} "entry" PARENT_SCOPE)
  endif()
endfunction()

file(GLOB_RECURSE headers RELATIVE "${root}" "${root}/*")
list(SORT headers)
if(NOT headers)
  message(FATAL_ERROR "layers.cmake: no files under ${root}")
endif()
set(errors 0)
set(checked 0)
foreach(rel IN LISTS headers)
  softnum_layer("${rel}" own)
  if(own STREQUAL "unknown")
    message(SEND_ERROR "include/softnum/${rel}: folder is not one of the layers (core, types, gemm, ops, cuda)")
    math(EXPR errors "${errors} + 1")
    continue()
  endif()
  file(STRINGS "${root}/${rel}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*<softnum/")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*<softnum/([^>]+)>.*$" "\\1" target "${line}")
    math(EXPR checked "${checked} + 1")
    if(NOT EXISTS "${root}/${target}")
      message(SEND_ERROR "include/softnum/${rel}: includes <softnum/${target}>, which does not exist")
      math(EXPR errors "${errors} + 1")
      continue()
    endif()
    if(own STREQUAL "entry")
      continue()  # entry headers may include any layer file or entry header
    endif()
    softnum_layer("${target}" theirs)
    if(theirs STREQUAL "entry")
      message(SEND_ERROR "include/softnum/${rel}: includes the public entry header <softnum/${target}>; "
                         "inside include/, include the layer file")
      math(EXPR errors "${errors} + 1")
    elseif(theirs GREATER own)
      message(SEND_ERROR "include/softnum/${rel} (layer ${own}): includes <softnum/${target}> from layer "
                         "${theirs} above it")
      math(EXPR errors "${errors} + 1")
    endif()
  endforeach()
endforeach()

if(errors GREATER 0)
  message(FATAL_ERROR "layers.cmake: ${errors} include(s) break the layering (docs/architecture.md)")
endif()
list(LENGTH headers n)
message(STATUS "layers.cmake: ${n} files, ${checked} softnum includes, none upward")

# cmake -DEXE=softnum_train -DOUT=file.hpp -DREFERENCE=examples/firmware/model.hpp -P export_weights.cmake
# Regenerates the firmware example's weight header with the command documented in
# docs/firmware.md and checks that it is byte for byte the committed one: the weights in
# examples/firmware come from softnum_train, and the export is deterministic. Without the
# Fashion-MNIST data it prints softnum_train's "skipped" line (the test's SKIP_REGULAR_EXPRESSION).
execute_process(COMMAND ${EXE} --downsample 2 --hidden 16 --epochs 5 --threads 2 --progress never
                        --skip-missing-data --export-weights ${OUT}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 77)
  message("${err}")
  return()
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "softnum_train --export-weights failed (${rc}):\n${out}\n${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT} ${REFERENCE} RESULT_VARIABLE diff)
if(NOT diff EQUAL 0)
  message(FATAL_ERROR "${OUT} differs from ${REFERENCE}: regenerate it (docs/firmware.md) or find "
                      "what made training non-deterministic")
endif()
message("${OUT} is identical to ${REFERENCE}")

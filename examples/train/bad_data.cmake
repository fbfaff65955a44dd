# cmake -DEXE=<program> -DWORK=<dir> [-DDATA=<real data dir>] -P bad_data.cmake
# Missing, wrong-magic and (when the real data is installed) truncated data files must each give
# an error that names the file and the package, with exit status 4.
set(common --epochs 1 --progress never --train-limit 100 --test-limit 100)
function(expect_error dir regex)
  execute_process(COMMAND ${EXE} --data "${dir}" ${common} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${err}")
  if(NOT rc EQUAL 4)
    message(FATAL_ERROR "exit status ${rc}, expected 4:\n${out}${err}")
  endif()
  if(NOT err MATCHES "${regex}" OR NOT err MATCHES "dataset-fashion-mnist")
    message(FATAL_ERROR "error message does not match '${regex}' or does not name the package")
  endif()
endfunction()

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/missing" "${WORK}/magic" "${WORK}/truncated")
expect_error("${WORK}/missing" "data file not found: .*/missing/train-images-idx3-ubyte.gz")
file(WRITE "${WORK}/magic/train-images-idx3-ubyte" "this is not an IDX file, just text\n")
expect_error("${WORK}/magic" "data file .*/magic/train-images-idx3-ubyte has the wrong magic number 0x74686973")

set(src /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz)
if(EXISTS "${src}")
  execute_process(COMMAND head -c 30000 "${src}" OUTPUT_FILE "${WORK}/truncated/train-images-idx3-ubyte.gz"
                  RESULT_VARIABLE rc)
  expect_error("${WORK}/truncated" "data file .*/truncated/train-images-idx3-ubyte.gz is truncated")
else()
  message("truncated-file case not run: ${src} is not installed")
endif()

# Fails when a C++ source of the project is not formatted as .clang-format says (clang-format
# --dry-run -Werror names each place). Run by ctest as `format_check`.
#   cmake -DCLANG_FORMAT=... -DSOURCE_DIR=... -P FormatCheck.cmake
file(GLOB_RECURSE sources
    "${SOURCE_DIR}/app/*.cpp" "${SOURCE_DIR}/app/*.h"
    "${SOURCE_DIR}/ui/*.cpp" "${SOURCE_DIR}/ui/*.h"
    "${SOURCE_DIR}/tests/*.cpp" "${SOURCE_DIR}/tests/*.h"
    "${SOURCE_DIR}/bench/*.cpp" "${SOURCE_DIR}/bench/*.h"
    "${SOURCE_DIR}/packaging/*.cpp")
list(FILTER sources EXCLUDE REGEX "/node_modules/")
list(LENGTH sources count)
if(count LESS 100)
    message(FATAL_ERROR "found only ${count} sources under ${SOURCE_DIR}: wrong directory?")
endif()
execute_process(COMMAND "${CLANG_FORMAT}" --dry-run -Werror ${sources}
    RESULT_VARIABLE result ERROR_VARIABLE problems)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "${problems}\nNot formatted (above): run clang-format-14 -i on these files.")
endif()
message(STATUS "${count} sources formatted as .clang-format says")

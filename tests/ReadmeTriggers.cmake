# The user guide's table of sandbox error triggers must be the one the code has: this runs
# `oauth-workbench-cli sandbox --triggers` and looks for its output, verbatim, in
# docs/user-guide.md.
execute_process(COMMAND ${CLI} sandbox --triggers OUTPUT_VARIABLE table RESULT_VARIABLE status)
if(NOT status EQUAL 0 OR table STREQUAL "")
    message(FATAL_ERROR "sandbox --triggers failed (${status})")
endif()
file(READ ${README} readme)
string(FIND "${readme}" "${table}" at)
if(at EQUAL -1)
    message(FATAL_ERROR "docs/user-guide.md's trigger table differs from the code; paste the output of "
                        "`oauth-workbench-cli sandbox --triggers` into it:\n${table}")
endif()

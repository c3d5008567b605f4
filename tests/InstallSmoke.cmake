# Installs the build into a scratch prefix, checks that the files a desktop needs are there, and
# starts the installed binaries. Run by ctest: cmake -DBUILD_DIR=... -DWORK_DIR=... -P this file.
file(REMOVE_RECURSE "${WORK_DIR}")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${WORK_DIR}"
    RESULT_VARIABLE result OUTPUT_QUIET)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "cmake --install failed: ${result}")
endif()

foreach(path IN ITEMS
        bin/oauth-workbench
        bin/oauth-workbench-cli
        share/applications/oauth-workbench.desktop
        share/icons/hicolor/scalable/apps/oauth-workbench.svg
        share/icons/hicolor/16x16/apps/oauth-workbench.png
        share/icons/hicolor/256x256/apps/oauth-workbench.png
        share/metainfo/invalid.oauth_workbench.OAuthWorkbench.metainfo.xml)
    if(NOT EXISTS "${WORK_DIR}/${path}")
        message(FATAL_ERROR "not installed: ${path}")
    endif()
endforeach()

foreach(binary IN ITEMS oauth-workbench oauth-workbench-cli)
    execute_process(COMMAND "${WORK_DIR}/bin/${binary}" --version
        OUTPUT_VARIABLE version RESULT_VARIABLE result)
    if(NOT result EQUAL 0 OR NOT version MATCHES "^oauth-workbench [0-9]+\\.[0-9]+\\.[0-9]+")
        message(FATAL_ERROR "${binary} --version: exit ${result}, printed '${version}'")
    endif()
endforeach()

# The installed GUI starts, shows its window and draws it.
set(ENV{QT_QPA_PLATFORM} offscreen)
execute_process(COMMAND "${WORK_DIR}/bin/oauth-workbench" --screenshot "${WORK_DIR}/window.png"
    RESULT_VARIABLE result TIMEOUT 60)
if(NOT result EQUAL 0 OR NOT EXISTS "${WORK_DIR}/window.png")
    message(FATAL_ERROR "the installed app did not start and draw its window: ${result}")
endif()
file(SIZE "${WORK_DIR}/window.png" size)
if(size LESS 5000)
    message(FATAL_ERROR "the window picture is suspiciously small (${size} bytes)")
endif()
message(STATUS "installed and started from ${WORK_DIR}")

# klaster_add_plugin(NAME SOURCES src... [TESTS test_src...] [LIBS lib...])
#
# Builds plugin NAME as a module library <build>/lib/klaster/plugins/NAME.so that links the klaster SDK, with
# hidden visibility and -Wl,--no-undefined (an unresolved symbol fails the link, not the run).
# TESTS builds NAME_test, a GoogleTest executable that links the plugin's code in-process (use
# klaster/sdk/testing.hpp), registered with CTest.
function(klaster_add_plugin NAME)
  cmake_parse_arguments(ARG "" "" "SOURCES;TESTS;LIBS" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "klaster_add_plugin(${NAME}): SOURCES is required")
  endif()
  add_library(${NAME}_impl OBJECT ${ARG_SOURCES})
  target_link_libraries(${NAME}_impl PUBLIC klaster::sdk ${ARG_LIBS})
  set_target_properties(${NAME}_impl PROPERTIES
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON POSITION_INDEPENDENT_CODE ON)

  add_library(${NAME} MODULE $<TARGET_OBJECTS:${NAME}_impl>)
  target_link_libraries(${NAME} PRIVATE klaster::sdk ${ARG_LIBS})
  target_link_options(${NAME} PRIVATE -Wl,--no-undefined)
  set_target_properties(${NAME} PROPERTIES
    PREFIX "" OUTPUT_NAME ${NAME}
    LIBRARY_OUTPUT_DIRECTORY ${KLASTER_PLUGIN_OUTPUT_DIR}
    BUILD_RPATH "$ORIGIN/../.." INSTALL_RPATH "$ORIGIN/../..")
  if(TARGET klaster_plugins AND KLASTER_PLUGIN_OUTPUT_DIR STREQUAL "${CMAKE_BINARY_DIR}/lib/klaster/plugins")
    add_dependencies(klaster_plugins ${NAME})
  endif()

  if(ARG_TESTS AND KLASTER_BUILD_TESTS)
    add_executable(${NAME}_test ${ARG_TESTS} $<TARGET_OBJECTS:${NAME}_impl>)
    target_link_libraries(${NAME}_test PRIVATE klaster::sdk ${ARG_LIBS} GTest::gtest_main)
    # Tests find shipped data (data/...) under KLASTER_SOURCE_DIR.
    target_compile_definitions(${NAME}_test PRIVATE KLASTER_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
    set_target_properties(${NAME}_test PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
    gtest_discover_tests(${NAME}_test DISCOVERY_MODE PRE_TEST TEST_PREFIX "${NAME}.")
  endif()
endfunction()

# klaster_add_plugin(NAME SOURCES src... [TESTS test_src...] [LIBS lib...] [NO_INSTALL])
#
# Builds plugin NAME as a module library <build>/plugins/NAME.so (or KLASTER_PLUGIN_OUTPUT_DIR) that
# links the klaster SDK, with hidden visibility and -Wl,--no-undefined (an unresolved symbol fails
# the link, not the run), installed into <prefix>/lib/klaster/plugins. TESTS builds NAME_test, a
# GoogleTest executable that links the plugin's code in-process and klaster::sdk_testing (use
# klaster/sdk/testing.hpp),
# registered with CTest; out of tree the function finds GoogleTest and enables testing itself.
#
# In the klaster tree every plugins/<name>/CMakeLists.txt calls it. Out of tree:
#   find_package(klaster REQUIRED)   # klaster::sdk and this function
#   klaster_add_plugin(my_metric SOURCES my_metric.cpp)
# Out of tree (klasterConfig.cmake sets KLASTER_OUT_OF_TREE), GoogleTest is set up here, at the
# including directory's scope, so that TESTS are built and registered without further setup.
if(KLASTER_OUT_OF_TREE AND NOT TARGET GTest::gtest_main)
  find_package(GTest QUIET)
  if(GTest_FOUND)
    include(GoogleTest)
    enable_testing()
  endif()
endif()

function(klaster_add_plugin NAME)
  cmake_parse_arguments(ARG "NO_INSTALL" "" "SOURCES;TESTS;LIBS" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "klaster_add_plugin(${NAME}): SOURCES is required")
  endif()
  if(NOT KLASTER_PLUGIN_OUTPUT_DIR)
    set(KLASTER_PLUGIN_OUTPUT_DIR ${CMAKE_BINARY_DIR}/plugins)
  endif()
  add_library(${NAME}_impl OBJECT ${ARG_SOURCES})
  target_link_libraries(${NAME}_impl PUBLIC klaster::sdk ${ARG_LIBS})
  set_target_properties(${NAME}_impl PROPERTIES
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON POSITION_INDEPENDENT_CODE ON)

  add_library(${NAME} MODULE $<TARGET_OBJECTS:${NAME}_impl>)
  target_link_libraries(${NAME} PRIVATE klaster::sdk ${ARG_LIBS})
  # --as-needed: a plugin records only the libraries it calls, so one without input-output tables
  # or matrices does not load klaster_sdk_linalg and OpenBLAS (sdk/CMakeLists.txt).
  target_link_options(${NAME} PRIVATE -Wl,--no-undefined -Wl,--as-needed)
  # Build tree: <build>/plugins/NAME.so next to <build>/lib; install: <prefix>/lib/klaster/plugins.
  set_target_properties(${NAME} PROPERTIES
    PREFIX "" OUTPUT_NAME ${NAME}
    LIBRARY_OUTPUT_DIRECTORY ${KLASTER_PLUGIN_OUTPUT_DIR}
    BUILD_RPATH "$ORIGIN/../lib" INSTALL_RPATH "$ORIGIN/../..")
  if(NOT ARG_NO_INSTALL)
    install(TARGETS ${NAME} LIBRARY DESTINATION lib/klaster/plugins)
  endif()
  if(TARGET klaster_plugins AND KLASTER_PLUGIN_OUTPUT_DIR STREQUAL "${CMAKE_BINARY_DIR}/plugins")
    add_dependencies(klaster_plugins ${NAME})
  endif()

  if(ARG_TESTS AND NOT TARGET GTest::gtest_main AND KLASTER_OUT_OF_TREE)
    message(WARNING "klaster_add_plugin(${NAME}): TESTS need GoogleTest (Debian: libgtest-dev); not built")
  endif()
  if(ARG_TESTS AND TARGET GTest::gtest_main)
    add_executable(${NAME}_test ${ARG_TESTS} $<TARGET_OBJECTS:${NAME}_impl>)
    target_link_libraries(${NAME}_test PRIVATE klaster::sdk_testing ${ARG_LIBS} GTest::gtest_main)
    if(TARGET klaster_runtime)  # in the klaster tree, tests may also read CSV files with the runtime
      target_link_libraries(${NAME}_test PRIVATE klaster_runtime)
    endif()
    # Tests find shipped data (data/...) under KLASTER_SOURCE_DIR.
    target_compile_definitions(${NAME}_test PRIVATE KLASTER_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
    set_target_properties(${NAME}_test PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
    gtest_discover_tests(${NAME}_test DISCOVERY_MODE PRE_TEST TEST_PREFIX "${NAME}.")
  endif()
endfunction()

# find_package(klaster) for plugins built out of tree: the klaster::sdk target and
# klaster_add_plugin(). Installed into <prefix>/lib/cmake/klaster.
include(CMakeFindDependencyMacro)
find_dependency(Eigen3 3.3 NO_MODULE)
find_dependency(Threads)
include("${CMAKE_CURRENT_LIST_DIR}/klasterTargets.cmake")
set(KLASTER_OUT_OF_TREE ON)
include("${CMAKE_CURRENT_LIST_DIR}/KlasterPlugin.cmake")

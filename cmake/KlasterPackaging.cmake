# Debian packages with CPack (`make package`):
#   klaster      the executable, the SDK's runtime library, the plugins, and the ready pipelines
#                with their embedded datasets in share/klaster/{configs,data} (so the demo runs);
#   klaster-dev  the SDK headers and the CMake package (find_package(klaster)) for plugin authors.
# Every install() names its component; what names none is runtime (set before any install()).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/configs/ DESTINATION share/klaster/configs COMPONENT runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/data/ DESTINATION share/klaster/data COMPONENT runtime)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME klaster)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "klaster developers <klaster@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Regional industrial-cluster analysis with indicator and measure plugins")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME klaster)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION science)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)  # Depends: from the linked libraries (dpkg-shlibdeps)
set(CPACK_DEBIAN_DEV_PACKAGE_NAME klaster-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "klaster (= ${PROJECT_VERSION}), g++, cmake, libeigen3-dev, liblapacke-dev, libopenblas-dev")
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "klaster executable, plugins, pipelines and embedded data")
set(CPACK_COMPONENT_DEV_DESCRIPTION "klaster SDK headers and CMake package for writing plugins")
include(CPack)

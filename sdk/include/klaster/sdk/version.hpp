// klaster SDK: version and ABI identity, compiled into the host and into every plugin.
#pragma once

#include <cstddef>  // defines _GLIBCXX_USE_CXX11_ABI on libstdc++

/// The klaster release (semver). Kept equal to project(VERSION) in the top CMakeLists.txt.
#define KLASTER_VERSION "0.1.0"
/// Bumped whenever a type that crosses the plugin boundary changes layout: PluginEntry, Status,
/// PluginInfo, ParamSpec, TableSpec, ColumnSpec, Condition, OutputTable, Params, the
/// contexts (their virtual functions), Table, Column, Schema, Dictionary, and
/// helper types passed between SDK and plugin (CubeOptions, IoOptions, Cube, which the SDK returns
/// by value, LeontiefSolver, which the plugin holds and the SDK fills): docs/writing-plugins.md.
/// 4: Cube records dropped cells (Cube::dropped). 5: a written column's unit (ColumnSpec::unit)
/// and PluginInfo::views. 6: PluginInfo::translations. 7: LeontiefSolver's LU (detail::LeontiefLu).
#define KLASTER_SDK_ABI_VERSION 8u

#define KLASTER_SDK_STR2(x) #x
#define KLASTER_SDK_STR(x) KLASTER_SDK_STR2(x)
#if defined(__clang__)
#define KLASTER_SDK_COMPILER "clang " __clang_version__
#elif defined(__GNUC__)
#define KLASTER_SDK_COMPILER "gcc " __VERSION__
#else
#define KLASTER_SDK_COMPILER "unknown"
#endif
#if defined(_GLIBCXX_USE_CXX11_ABI)
#define KLASTER_SDK_STDLIB "libstdc++ cxx11abi=" KLASTER_SDK_STR(_GLIBCXX_USE_CXX11_ABI)
#else
#define KLASTER_SDK_STDLIB "other stdlib"
#endif
/// Compared exactly by the host: plugins must be built with the same compiler, standard library
/// ABI and SDK as the host, because PluginInfo and the tables are C++ types.
#define KLASTER_SDK_BUILD_TAG \
  KLASTER_SDK_COMPILER "; " KLASTER_SDK_STDLIB "; sdk-abi " KLASTER_SDK_STR(KLASTER_SDK_ABI_VERSION)

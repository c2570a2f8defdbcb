// klaster SDK, detail: the C ABI entry every plugin library exports, made by KLASTER_PLUGIN. An
// author uses only the macro (plugin.hpp); the host calls the entry's functions.
#pragma once

#include <cstdint>
#include <string>

#include "klaster/sdk/plugin.hpp"
#include "klaster/sdk/version.hpp"

namespace klaster::sdk {

enum class StatusCode : std::uint8_t { kOk = 0, kParamError, kDataError, kFailure };
struct Status {
  StatusCode code = StatusCode::kOk;
  std::string message;
  std::string param;  // for kParamError: the parameter concerned, when known
};

/// \brief What `klaster_plugin_entry()` returns. The host checks abi_version, struct_size and
/// build_tag before calling anything else. The functions never throw.
struct PluginEntry {
  std::uint32_t abi_version;
  std::uint32_t struct_size;
  const char* build_tag;
  Status (*describe)(PluginInfo* out) noexcept;
  Status (*bind)(BindContext* ctx) noexcept;
  Status (*run)(RunContext* ctx) noexcept;
};

/// \brief Runs `fn`, turning any exception into a Status. Used by KLASTER_PLUGIN.
template <class Fn>
Status guarded(Fn&& fn) noexcept {
  try {
    fn();
    return {};
  } catch (const ParamError& e) {
    return {StatusCode::kParamError, e.what(), e.param()};
  } catch (const DataError& e) {
    return {StatusCode::kDataError, e.what(), {}};
  } catch (const std::exception& e) {
    return {StatusCode::kFailure, e.what(), {}};
  } catch (...) {
    return {StatusCode::kFailure, "unknown exception", {}};
  }
}

}  // namespace klaster::sdk

/// The name of the one symbol every plugin library exports.
#define KLASTER_PLUGIN_ENTRY_SYMBOL "klaster_plugin_entry"

/// Exports `PluginClass` (default-constructible, derived from klaster::sdk::Plugin) as this
/// library's plugin. Use once per plugin library, at namespace scope.
#define KLASTER_PLUGIN(PluginClass)                                                    \
  extern "C" __attribute__((visibility("default"))) const ::klaster::sdk::PluginEntry* \
  klaster_plugin_entry() {                                                             \
    static const PluginClass instance{};                                               \
    static const ::klaster::sdk::PluginEntry entry{                                    \
        KLASTER_SDK_ABI_VERSION,                                                       \
        sizeof(::klaster::sdk::PluginEntry),                                           \
        KLASTER_SDK_BUILD_TAG,                                                         \
        [](::klaster::sdk::PluginInfo* out) noexcept {                                 \
          return ::klaster::sdk::guarded([&] { *out = instance.info(); });             \
        },                                                                             \
        [](::klaster::sdk::BindContext* ctx) noexcept {                                \
          return ::klaster::sdk::guarded([&] { instance.bind(*ctx); });                \
        },                                                                             \
        [](::klaster::sdk::RunContext* ctx) noexcept {                                 \
          return ::klaster::sdk::guarded([&] { instance.run(*ctx); });                 \
        }};                                                                            \
    return &entry;                                                                     \
  }

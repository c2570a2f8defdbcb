// klaster host: the unit of each column of the tables in scope, for run.json and exports.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "config.hpp"
#include "klaster/sdk/step.hpp"

namespace klaster {

/// \brief Column name -> unit, for the columns whose unit is known (others are absent).
using ColumnUnits = std::map<std::string, std::string>;
/// \brief The units of a table in scope by name, or nullptr.
using UnitsLookup = std::function<const ColumnUnits*(const std::string&)>;

/// \brief A dataset table's units: its manifest's `unit` for each float column (the measured
/// values; keys and years have none); nothing when the manifest gives no unit.
ColumnUnits dataset_units(const TableManifest& table);

/// \brief The units of the tables a step writes, by table name, from the plugin's writes specs: a
/// column declared with a unit (ColumnSpec::in) has it; a column of()/like() a column of an input
/// table keeps that column's unit; every other column has none. Only columns of `outputs` (what
/// bind() kept) are listed.
std::map<std::string, ColumnUnits> step_units(const sdk::PluginInfo& info,
                                              const sdk::Params& params, const std::string& output,
                                              const sdk::Outputs& outputs,
                                              const sdk::SchemaLookup& schemas,
                                              const UnitsLookup& units);

}  // namespace klaster

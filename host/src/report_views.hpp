// klaster host: the charts of `klaster report`: a plugin's declared views (sdk::ViewSpec) over the
// tables of a run, as Vega-Lite specifications with the rows they draw inlined.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "klaster/sdk/table.hpp"
#include "klaster/sdk/view.hpp"
#include "labels.hpp"
#include "report_data.hpp"
#include "report_strings.hpp"

namespace klaster {

/// \brief The name under which map views find the region boundaries (RegionMap::features): the
/// page holds them once and hands them to every map as this Vega-Lite dataset.
inline constexpr const char* kRegionsDataset = "klaster_regions";

/// \brief Rows of a table a chart draws at most; a note says when a chart shows fewer.
inline constexpr std::size_t kChartMaxRows = 20'000;

/// \brief What a view needs besides its table: the step's parameters (for "<param>" names), the
/// map, the names of codes, the language, the units of the table's columns (run.json).
struct ViewContext {
  const nlohmann::json& params;
  const RegionMap& map;
  const Labels& labels;
  ReportLang lang;
  const ColumnUnits& units;
};

/// \brief A column's name with its unit for a heading, axis or legend: "value (thousand
/// persons)"; the name alone when the column has no unit.
std::string with_unit(const std::string& column, const ColumnUnits& units);
/// \brief The unit of `column`, or "" when it has none.
std::string unit_of(const std::string& column, const ColumnUnits& units);
/// \brief `text` with `unit` in parentheses after it ("value (km)"); `text` alone for no unit.
std::string titled(const std::string& text, const std::string& unit);

/// \brief Whether any value of `column` of `t` (a text column) is a region of `map`.
bool region_level(const sdk::Table& t, const std::string& column, const RegionMap& map);

/// \brief The layers of a choropleth over `map`: every region in grey (the page's
/// kRegionsDataset), the rows' regions (field `region_field`) as polygons looked up there, and
/// those without a polygon of their own as circles at their centres, both coloured by `color`,
/// with `tooltip`; `filters` (the transforms that apply the drop-downs) come first in both.
nlohmann::json choropleth_layers(const RegionMap& map, const std::string& region_field,
                                 const nlohmann::json& filters, const nlohmann::json& color,
                                 const nlohmann::json& tooltip);
/// \brief A map of Kazakhstan (Mercator, 640 x 380) drawing `rows` in `layers`.
nlohmann::json map_spec(const nlohmann::json& rows, const nlohmann::json& layers);

/// \brief Cell `r` of `c` as a chart's data holds it: text, integer, number, or null when missing.
nlohmann::json cell_json(const sdk::Column& c, std::size_t r);

/// \brief A drawn view: a Vega-Lite spec, or (spec null) a note saying why it is not drawn.
struct Chart {
  std::string title;
  nlohmann::json spec;
  std::string note;
};

/// \brief The chart of view `v` over `table` (the table it names, resolved by the caller); nothing
/// when the view does not apply to this run: the table lacks a column the view draws (a plugin's
/// columns may depend on its parameters). A map view whose column holds no region code, or a run
/// whose dataset has no map, gives a Chart with a note.
std::optional<Chart> view_chart(const sdk::ViewSpec& v, const std::string& table_name,
                                const sdk::Table& table, const ViewContext& ctx);

/// \brief A column name of a view resolved: "<param>" is the column the step's parameter names.
std::string view_column(const std::string& name, const nlohmann::json& params);

}  // namespace klaster

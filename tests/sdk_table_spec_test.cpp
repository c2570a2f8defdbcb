// Table specs (klaster/sdk/table_spec.hpp): output schemas derived from PluginInfo::writes, reads
// checked against the tables in scope, and OutputTable filled column by column.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "klaster/sdk/step.hpp"
#include "klaster/sdk/testing.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;

namespace {

PluginInfo example_info() {
  PluginInfo p;
  p.name = "example";
  p.params = {
      ParamSpec("input", ParamType::kTable).req(),
      ParamSpec("industry", ParamType::kColumn).of("input").def("industry"),
      ParamSpec("year", ParamType::kColumn).of("input").def("year").if_present(),
      ParamSpec("keys", ParamType::kColumnList).of("input").def(std::vector<std::string>{}),
      ParamSpec("detail", ParamType::kBool).def(Value(false)),
  };
  p.reads = {TableSpec::read("input", "").column(ColumnSpec::numbers("value"))};
  p.writes = {
      TableSpec::write("<output>", "")
          .column(ColumnSpec::of("year"))
          .column(ColumnSpec::of("industry"))
          .column(ColumnSpec::of("keys"))
          .column(ColumnSpec::floats("share"))
          .column(ColumnSpec::ints("n").when("detail", "true")),
      TableSpec::write("<output>_copy", "").column(ColumnSpec::of("input")).when("detail", "true")};
  return p;
}

struct Scope {
  std::map<std::string, Schema> schemas;
  SchemaLookup lookup() const {
    return [this](std::string_view n) -> const Schema* {
      auto it = schemas.find(std::string(n));
      return it == schemas.end() ? nullptr : &it->second;
    };
  }
};

Schema schema(std::vector<std::pair<std::string, ColumnType>> columns) {
  Schema s;
  s.columns = std::move(columns);
  return s;
}

}  // namespace

// Key columns take their names from the parameters and their types from the input; a year column
// the input lacks and a column whose condition fails are left out, as is a conditional table.
TEST(TableSpec, DerivesTheOutputSchemaFromParameters) {
  const PluginInfo info = example_info();
  Scope scope{{{"t", schema({{"sector", ColumnType::kString}, {"value", ColumnType::kInt}})}}};
  const Params params = resolve_params(info, {{"input", "t"}, {"industry", "sector"}});
  const Outputs out = derive_outputs(info, params, "lq", scope.lookup());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].first, "lq");
  EXPECT_EQ(out[0].second,
            schema({{"sector", ColumnType::kString}, {"share", ColumnType::kFloat}}));
}

TEST(TableSpec, ConditionsAddColumnsAndTables) {
  const PluginInfo info = example_info();
  const Schema in = schema({{"year", ColumnType::kInt},
                            {"industry", ColumnType::kString},
                            {"zone", ColumnType::kString},
                            {"value", ColumnType::kFloat}});
  Scope scope{{{"t", in}}};
  const Params params = resolve_params(
      info, {{"input", "t"}, {"detail", true}, {"keys", std::vector<std::string>{"zone"}}});
  const Outputs out = derive_outputs(info, params, "s", scope.lookup());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].second.names(),
            (std::vector<std::string>{"year", "industry", "zone", "share", "n"}));
  EXPECT_EQ(out[1].first, "s_copy");
  EXPECT_EQ(out[1].second, in);
}

TEST(TableSpec, TwoColumnsOfOneNameAreAParameterError) {
  const PluginInfo info = example_info();
  Scope scope{{{"t", schema({{"industry", ColumnType::kString}, {"value", ColumnType::kInt}})}}};
  const Params params =
      resolve_params(info, {{"input", "t"}, {"keys", std::vector<std::string>{"industry"}}});
  EXPECT_EQ(error_message<ParamError>([&] { derive_outputs(info, params, "s", scope.lookup()); }),
            "table 's' would have two columns named 'industry'; rename one with the step's column "
            "parameters");
}

// table_spec.hpp, ColumnSpec::when: a column declared once per unit, with conditions that hold
// together here (detail = true and no condition), is one column in the schema.
TEST(TableSpec, AColumnDeclaredPerConditionIsOneColumn) {
  PluginInfo info = example_info();
  info.writes[0]
      .column(ColumnSpec::floats("share").when("detail", "true").in("share"))
      .column(ColumnSpec::ints("n"));
  Scope scope{{{"t", schema({{"industry", ColumnType::kString}, {"value", ColumnType::kInt}})}}};
  const Params params = resolve_params(info, {{"input", "t"}, {"detail", true}});
  const Outputs out = derive_outputs(info, params, "s", scope.lookup());
  EXPECT_EQ(out[0].second.names(), (std::vector<std::string>{"industry", "share", "n"}));
}

TEST(TableSpec, ReadsAreChecked) {
  const PluginInfo info = example_info();
  Scope scope{{{"t", schema({{"industry", ColumnType::kString}, {"value", ColumnType::kString}})},
               {"u", schema({{"industry", ColumnType::kString}})}}};
  const auto message = [&](const std::string& table) {
    return error_message<ParamError>([&] {
      check_reads(info, resolve_params(info, {{"input", table}}), scope.lookup());
    });
  };
  EXPECT_EQ(message("t"),
            "column 'value' of table 't' (parameter 'input') holds string; plugin 'example' reads "
            "it as value:number");
  EXPECT_EQ(message("u"),
            "table 'u' (parameter 'input') has no column 'value'; plugin 'example' reads "
            "value:number");
}

TEST(OutputTable, BuildsInDeclaredOrderAndChecksEveryColumn) {
  const Schema s = schema({{"region", ColumnType::kString}, {"x", ColumnType::kFloat}});
  OutputTable out("o", s);
  out.set("x", std::vector<double>{1, 2});
  EXPECT_EQ(error_message<Error>([&] { OutputTable(out).build(); }),
            "column 'region' of table 'o' was declared but not set");
  EXPECT_EQ(error_message<Error>([&] {
              out.set("x", std::vector<std::int64_t>{1, 2});
            }),
            "column 'x' of table 'o' is declared float but set as int");
  EXPECT_EQ(error_message<Error>([&] { out.set("y", std::vector<double>{1}); }),
            "table 'o' declares no column 'y'; its columns: region, x");
  out.set("region", std::vector<std::string>{"A"});
  EXPECT_EQ(error_message<Error>([&] { OutputTable(out).build(); }),
            "column 'x' of table 'o' has 2 rows, column 'region' 1");
  out.set("region", std::vector<std::string>{"A", "B"});
  const Table t = std::move(out).build();
  EXPECT_EQ(t.schema(), s);
  EXPECT_EQ(t.column("region").str(1), "B");
}

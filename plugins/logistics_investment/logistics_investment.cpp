// logistics_investment: a transport investment as a change of a links table (origin, destination,
// length and/or travel time): chosen links become faster or shorter, and new links (a new road, a
// new hub's connections) are added. The new table has the input's schema, so every step that read
// the old network (accessibility, hub location) can read the new one.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "klaster/sdk/plugin.hpp"
#include "logistics_investment_kernel.hpp"

namespace klaster::plugins::logistics_investment {
namespace {

using namespace klaster::sdk;

std::string description() {
  return "A transport investment applied to a links table (one row per directed link: origin, "
         "destination, length in km and/or travel time in hours; what distance_matrix writes).\n"
         "Selection (union of all given): `links` (\"A-B\" pairs), `from`/`to` (paired lists), "
         "`corridor` (a node sequence: every consecutive pair), `regions` (every link touching "
         "them). A link A-B selects both stored directions, A->B and B->A; a named link stored in "
         "neither direction is an error (for a corridor: add the missing link with new_links).\n"
         "Change of the selected links: hours' = hours * time_factor / speed_factor, length' = "
         "length * length_factor (defaults 1: unchanged). `new_links` adds rows (same columns); a "
         "new link already in the table is an error unless on_existing = \"replace\" (take the new "
         "values) or \"min\" (keep the smaller of old and new, per column). Links set by new_links "
         "are taken as given: the factors do not apply to them even when selected. Unselected "
         "links are unchanged.\n"
         "Writes <output>: every column of input (new rows: values from new_links' columns of the "
         "same name, missing otherwise). Logs how many links changed and the mean time saved.";
}

std::vector<ParamSpec> table_params() {
  return {
      ParamSpec("input", ParamType::kTable).req().primary().doc_("links table"),
      ParamSpec("origin", ParamType::kColumn).def("origin").of("input").doc_("origin node"),
      ParamSpec("destination", ParamType::kColumn)
          .def("destination")
          .of("input")
          .doc_("destination node"),
      ParamSpec("length", ParamType::kColumn)
          .def("distance_km")
          .of("input")
          .if_present()
          .numeric()
          .doc_("link length (float, km); used when the table has it"),
      ParamSpec("hours", ParamType::kColumn)
          .def("hours")
          .of("input")
          .if_present()
          .numeric()
          .doc_("travel time (float, hours); used when the table has it"),
      ParamSpec("new_links", ParamType::kTable)
          .doc_("links added: origin, destination and the input's length/hours columns"),
      ParamSpec("on_existing", ParamType::kString)
          .def("error")
          .one_of({"error", "replace", "min"})
          .doc_("a new link already in input: error, replace its values, or keep the minimum"),
  };
}

std::vector<ParamSpec> change_params() {
  return {
      ParamSpec("links", ParamType::kStringList).doc_("links \"A-B\" to change"),
      ParamSpec("separator", ParamType::kString).def("-").doc_("separator in `links` entries"),
      ParamSpec("from", ParamType::kStringList).doc_("origins of links to change (with `to`)"),
      ParamSpec("to", ParamType::kStringList).doc_("destinations, one per `from`"),
      ParamSpec("corridor", ParamType::kStringList)
          .doc_("node sequence, e.g. [\"KST\", \"AKM\", \"AST\"]: every consecutive link"),
      ParamSpec("regions", ParamType::kStringList).doc_("change every link touching these"),
      ParamSpec("speed_factor", ParamType::kFloat)
          .def(Value(1.0))
          .above(0)
          .doc_("speed multiplied by f: hours / f on the selected links"),
      ParamSpec("time_factor", ParamType::kFloat)
          .def(Value(1.0))
          .above(0)
          .doc_("hours multiplied by f on the selected links"),
      ParamSpec("length_factor", ParamType::kFloat)
          .def(Value(1.0))
          .above(0)
          .doc_("length multiplied by f on the selected links"),
  };
}

/// \brief The links as plain vectors: the input's rows first, then appended new links.
struct Network {
  std::vector<std::string> origin, destination;
  bool has_length = false, has_hours = false;
  std::vector<double> length, hours;
  std::vector<std::uint8_t> length_ok, hours_ok;
  std::vector<std::uint8_t> fixed;    // 1: set by new_links, taken as given
  std::vector<std::size_t> appended;  // new_links rows appended, in order
};

/// \brief The string keys of column `name`; a missing key is a DataError naming the row.
std::vector<std::string> keys(const Table& t, const std::string& name) {
  const Column& c = t.column(name);
  std::vector<std::string> out;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    if (!c.is_valid(r)) throw DataError(t.row_name(r) + ": '" + name + "' is missing");
    out.emplace_back(c.str(r));
  }
  return out;
}

/// \brief The numbers of column `name` with validity; a negative one is a DataError naming the row.
void numbers(const Table& t, const std::string& name, std::vector<double>& values,
             std::vector<std::uint8_t>& ok) {
  const Column& c = t.column(name);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const bool valid = c.is_valid(r);
    values.push_back(valid ? c.number(r) : 0.0);
    ok.push_back(valid ? 1 : 0);
    if (valid && c.number(r) < 0)
      throw DataError(t.row_name(r) + ": '" + name + "' is negative (" +
                      format_number(c.number(r)) + ")");
  }
}

Network read_network(const Table& in, const Params& params) {
  Network n;
  n.origin = keys(in, params.str("origin"));
  n.destination = keys(in, params.str("destination"));
  n.has_length = in.schema().has(params.str("length"));
  n.has_hours = in.schema().has(params.str("hours"));
  if (n.has_length) numbers(in, params.str("length"), n.length, n.length_ok);
  if (n.has_hours) numbers(in, params.str("hours"), n.hours, n.hours_ok);
  n.fixed.assign(in.rows(), 0);
  return n;
}

/// \brief DataError for a link stored twice in `t` (named `what`).
LinkIndex checked_index(const Network& n, const Table& t, const std::string& what) {
  LinkIndex index = index_links(n.origin, n.destination);
  if (index.duplicate) {
    const auto [first, second] = *index.duplicate;
    throw DataError(what + " has link '" + n.origin[second] + "' -> '" + n.destination[second] +
                    "' twice" + t.lines_note(first, second));
  }
  return index;
}

/// \brief Row `e` of the network takes the new link's value `v` (valid `ok`) as `mode` says.
void merge_value(std::vector<double>& values, std::vector<std::uint8_t>& valid, std::size_t e,
                 double v, std::uint8_t ok, const std::string& mode) {
  if (mode == "min" && valid[e] && (!ok || values[e] < v)) return;  // the old link stays better
  values[e] = v;
  valid[e] = ok;
}

void add_new_links(Network& n, const LinkIndex& index, const Table& t, const Params& params) {
  Network add = read_network(t, params);
  checked_index(add, t, "new_links table '" + params.str("new_links") + "'");
  const std::string mode = params.str("on_existing");
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::optional<std::size_t> existing = index.find({add.origin[r], add.destination[r]});
    if (existing && mode == "error")
      throw DataError(t.row_name(r) + ": link '" + add.origin[r] + "' -> '" + add.destination[r] +
                      "' is already in table '" + params.str("input") +
                      "'; set on_existing = \"replace\" or \"min\", or change it with a factor");
    std::size_t e = 0;
    if (existing) {
      e = *existing;
    } else {  // a new row, filled below
      e = n.origin.size();
      n.origin.push_back(add.origin[r]), n.destination.push_back(add.destination[r]);
      n.length.push_back(0), n.length_ok.push_back(0), n.hours.push_back(0),
          n.hours_ok.push_back(0);
      n.fixed.push_back(0), n.appended.push_back(r);
    }
    if (n.has_length) merge_value(n.length, n.length_ok, e, add.length[r], add.length_ok[r], mode);
    if (n.has_hours) merge_value(n.hours, n.hours_ok, e, add.hours[r], add.hours_ok[r], mode);
    n.fixed[e] = 1;
  }
  if (!n.has_length) n.length.clear(), n.length_ok.clear();
  if (!n.has_hours) n.hours.clear(), n.hours_ok.clear();
}

/// \brief Marks the rows of each link (both directions); ParamError for `param` naming a link
/// stored in neither direction (`hint` says what to do).
void select_links(const LinkIndex& index, const std::vector<Pair>& links, const std::string& param,
                  const std::string& table, const std::string& hint,
                  std::vector<std::uint8_t>& selected) {
  for (const Pair& l : links) {
    const std::vector<std::size_t> rows = rows_of_link(index, l);
    if (rows.empty())
      throw ParamError(param, "link '" + l.first + "-" + l.second + "' is not in table '" + table +
                                  "' (in either direction)" + hint);
    for (const std::size_t r : rows) selected[r] = 1;
  }
}

std::vector<Pair> named_links(const Params& params) {
  std::vector<Pair> links;
  for (const std::string& text : params.strings("links")) {
    const auto l = parse_link(text, params.str("separator"));
    if (!l)
      throw ParamError("links", "'" + text + "' is not a link 'A" + params.str("separator") +
                                    "B' (or set 'separator', or use from/to)");
    links.push_back(*l);
  }
  const std::vector<std::string> from = params.strings("from"), to = params.strings("to");
  for (std::size_t k = 0; k < from.size(); ++k) links.emplace_back(from[k], to[k]);
  return links;
}

std::vector<std::uint8_t> selection(const Network& n, const LinkIndex& input_index,
                                    const Params& params) {
  // New rows need a new index; otherwise the input's serves.
  const LinkIndex index = n.appended.empty() ? LinkIndex{} : index_links(n.origin, n.destination);
  const LinkIndex& links = n.appended.empty() ? input_index : index;
  const std::string table = params.str("input");
  std::vector<std::uint8_t> selected(n.origin.size(), 0);
  select_links(links, named_links(params), params.has("links") ? "links" : "from", table, "",
               selected);
  select_links(links, corridor_pairs(params.strings("corridor")), "corridor", table,
               "; add it with new_links", selected);
  for (const std::string& region : params.strings("regions")) {
    const auto rows = rows_touching(n.origin, n.destination, {region});
    if (rows.empty())
      throw ParamError("regions", "region '" + region + "' has no link in table '" + table + "'");
    for (const std::size_t r : rows) selected[r] = 1;
  }
  for (std::size_t r = 0; r < selected.size(); ++r)
    if (n.fixed[r]) selected[r] = 0;  // new links are taken as given
  return selected;
}

/// \brief `base` with the `rows` of `extra` (same type, or absent: missing) appended.
Column extended(const Column& base, const Column* extra, const std::vector<std::size_t>& rows) {
  Column c = base;
  if (extra && extra->type != base.type) extra = nullptr;
  if (c.type == ColumnType::kString) {
    c.dict = std::make_shared<Dictionary>(*base.dict);  // the input's dictionary is not ours
    for (const std::size_t r : rows)
      c.codes.push_back(extra && extra->is_valid(r) ? c.dict->intern(extra->str(r)) : -1);
    return c;
  }
  if (c.valid.empty()) c.valid.assign(base.size(), 1);
  for (const std::size_t r : rows) {
    const bool ok = extra && extra->is_valid(r);
    if (c.type == ColumnType::kFloat) c.floats.push_back(ok ? extra->floats[r] : 0.0);
    if (c.type == ColumnType::kInt) c.ints.push_back(ok ? extra->ints[r] : 0);
    c.valid.push_back(ok ? 1 : 0);
  }
  return c;
}

void write_links(RunContext& ctx, const Network& n) {
  const Params& params = ctx.params();
  const Table& in = ctx.table_of_param("input");
  const Table* add = params.has("new_links") ? &ctx.table_of_param("new_links") : nullptr;
  OutputTable out = ctx.output();
  for (const ColumnPtr& c : in.column_ptrs()) {
    if (n.has_length && c->name == params.str("length"))
      out.set(c->name, n.length, n.length_ok);
    else if (n.has_hours && c->name == params.str("hours"))
      out.set(c->name, n.hours, n.hours_ok);
    else if (n.appended.empty())
      out.set(c);  // shared with the input
    else
      out.set(extended(*c, add ? add->find(c->name) : nullptr, n.appended));
  }
  ctx.write(std::move(out));
}

/// \brief ParamError for `param` unless `schema` has column `name` of type `type`.
void require_column(const Schema& schema, const std::string& name, ColumnType type,
                    const std::string& param, const std::string& table) {
  const auto t = schema.type_of(name);
  if (!t) throw ParamError(param, "table '" + table + "' has no column '" + name + "'");
  if (*t != type)
    throw ParamError(param, "column '" + name + "' of table '" + table + "' is not a " +
                                to_string(type) + " column");
}

/// \brief The links table: string nodes, float length and/or hours (written back in place).
void check_links_table(const BindContext& ctx) {
  const Params& params = ctx.params();
  const Schema& in = ctx.schema_of_param("input");
  const std::string table = params.str("input");
  for (const char* key : {"origin", "destination"})
    require_column(in, params.str(key), ColumnType::kString, key, table);
  if (!in.has(params.str("length")) && !in.has(params.str("hours")))
    throw ParamError("hours", "table '" + table + "' has neither a length column '" +
                                  params.str("length") + "' nor an hours column '" +
                                  params.str("hours") + "'");
  for (const char* value : {"length", "hours"})
    if (in.has(params.str(value)))
      require_column(in, params.str(value), ColumnType::kFloat, value, table);
}

/// \brief new_links has the input's key and value columns; columns of the same name, one type.
void check_new_links(const BindContext& ctx) {
  const Params& params = ctx.params();
  if (!params.has("new_links")) return;
  const Schema& in = ctx.schema_of_param("input");
  const Schema& add = ctx.schema_of_param("new_links");
  const std::string table = params.str("new_links");
  for (const char* key : {"origin", "destination"})
    require_column(add, params.str(key), ColumnType::kString, "new_links", table);
  for (const char* value : {"length", "hours"})
    if (in.has(params.str(value)) && !add.has(params.str(value)))
      throw ParamError("new_links", "table '" + table + "' has no column '" + params.str(value) +
                                        "' (table '" + params.str("input") + "' has it)");
  for (const auto& [name, type] : in.columns)
    if (add.has(name) && *add.type_of(name) != type && *add.type_of(name) != ColumnType::kInt)
      throw ParamError("new_links", "column '" + name + "' of table '" + table + "' is a " +
                                        to_string(*add.type_of(name)) + " column, in table '" +
                                        params.str("input") + "' a " + to_string(type) + " one");
}

/// \brief A factor needs its column and a selection; a selection needs a factor.
void check_change(const BindContext& ctx) {
  const Params& params = ctx.params();
  const Schema& in = ctx.schema_of_param("input");
  if (params.strings("from").size() != params.strings("to").size())
    throw ParamError("to", "'from' has " + std::to_string(params.strings("from").size()) +
                               " node(s), 'to' " + std::to_string(params.strings("to").size()));
  if (params.strings("corridor").size() == 1)
    throw ParamError("corridor", "a corridor needs at least two nodes");
  const bool time = params.real("speed_factor") != 1 || params.real("time_factor") != 1;
  const bool length = params.real("length_factor") != 1;
  if (time && !in.has(params.str("hours")))
    throw ParamError(
        params.real("speed_factor") != 1 ? "speed_factor" : "time_factor",
        "table '" + params.str("input") + "' has no hours column '" + params.str("hours") + "'");
  if (length && !in.has(params.str("length")))
    throw ParamError("length_factor", "table '" + params.str("input") + "' has no length column '" +
                                          params.str("length") + "'");
  bool selects = false;
  for (const char* s : {"links", "from", "corridor", "regions"})
    selects = selects || !params.strings(s).empty();
  if (selects && !time && !length)
    throw ParamError("speed_factor",
                     "links are selected but speed_factor, time_factor and length_factor are all "
                     "1: nothing would change");
  if ((time || length) && !selects)
    throw ParamError("links",
                     "a factor is given but no link is selected: name them with "
                     "links, from/to, corridor or regions");
  if (!selects && !params.has("new_links"))
    throw ParamError("new_links",
                     "nothing to change: select links and give a factor, or add "
                     "new_links");
}

/// \brief The log line: how many links changed, the mean hours saved, how many were added.
std::string summary(const Network& before, const Network& after,
                    const std::vector<std::uint8_t>& selected, std::size_t added_or_set) {
  std::size_t changed = 0;
  for (const std::uint8_t s : selected) changed += s;
  std::string line = "changed " + std::to_string(changed) + " link row(s)";
  if (after.has_hours) {
    std::vector<std::uint8_t> sel(selected.begin(), selected.begin() + before.hours.size());
    std::vector<double> now(after.hours.begin(), after.hours.begin() + before.hours.size());
    char saved[32];  // 4 significant digits: a log line, not a result
    std::snprintf(saved, sizeof saved, "%.4g", mean_saved(before.hours, now, sel, before.hours_ok));
    line += ", mean time saved " + std::string(saved) + " h";
  }
  return line + "; " + std::to_string(added_or_set) + " link row(s) added or set by new_links (" +
         std::to_string(after.appended.size()) + " new)";
}

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Транспортные инвестиции: более быстрые или короткие связи и новые связи в "
       "таблице связей"},
      {p.description,
       "Транспортные инвестиции, применённые к таблице связей (одна строка на "
       "направленную связь: пункт отправления, пункт назначения, длина в км и/или время "
       "в пути в часах; то, что пишет distance_matrix).\n"
       "Выбор (объединение всех заданных): `links` (пары \"A-B\"), `from`/`to` (парные "
       "списки), `corridor` (последовательность узлов: каждая соседняя пара), `regions` "
       "(все связи, касающиеся этих регионов). Связь A-B выбирает оба хранимых "
       "направления, A->B и B->A; названная связь, которой нет ни в одном направлении, —"
       " ошибка (для коридора: добавьте недостающую связь через new_links).\n"
       "Изменение выбранных связей: hours' = hours * time_factor / speed_factor, length'"
       " = length * length_factor (по умолчанию 1: без изменений). `new_links` добавляет"
       " строки (с теми же столбцами); новая связь, уже имеющаяся в таблице, — ошибка, "
       "если не задано on_existing = \"replace\" (взять новые значения) или \"min\" "
       "(оставить меньшее из старого и нового, по каждому столбцу). Связи из new_links "
       "берутся как заданы: коэффициенты к ним не применяются, даже если они выбраны. "
       "Невыбранные связи не меняются.\n"
       "Записывает <output>: все столбцы входной таблицы (у новых строк — значения из "
       "одноимённых столбцов new_links, иначе пропуск). В журнал пишется, сколько связей"
       " изменилось и среднее сэкономленное время."},
  };
}

class LogisticsInvestment final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "logistics_investment";
    p.version = "0.1.0";
    p.kind = PluginKind::kMeasure;
    p.summary = "A transport investment: faster or shorter links, and new links, in a links table";
    p.description = description();
    p.params = table_params();
    const std::vector<ParamSpec> change = change_params();
    p.params.insert(p.params.end(), change.begin(), change.end());
    p.reads = {TableSpec::read("input", "one row per directed link")
                   .column(ColumnSpec::of("origin"))
                   .column(ColumnSpec::of("destination"))
                   .column(ColumnSpec::of("length"))
                   .column(ColumnSpec::of("hours")),
               TableSpec::read("new_links",
                               "links added, with the input's origin, destination "
                               "and length/hours columns")
                   .when_given("new_links")};
    p.writes = {TableSpec::write("<output>", "the links after the investment")
                    .column(ColumnSpec::of("input",
                                           "every column of input; selected links' length/hours "
                                           "changed, new links appended"))};
    p.translations["ru"] = russian(p);
    return p;
  }

  void bind(BindContext& ctx) const override {
    check_links_table(ctx);
    check_new_links(ctx);
    check_change(ctx);
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const Table& in = ctx.table_of_param("input");
    const Network before = read_network(in, params);
    Network n = before;
    const LinkIndex index = checked_index(n, in, "table '" + params.str("input") + "'");
    if (params.has("new_links")) add_new_links(n, index, ctx.table_of_param("new_links"), params);
    const std::vector<std::uint8_t> selected = selection(n, index, params);
    if (n.has_hours)
      n.hours = scaled(n.hours, selected, params.real("time_factor") / params.real("speed_factor"));
    if (n.has_length) n.length = scaled(n.length, selected, params.real("length_factor"));
    std::size_t set = 0;
    for (const std::uint8_t f : n.fixed) set += f;
    ctx.log(LogLevel::kInfo, summary(before, n, selected, set));
    write_links(ctx, n);
  }
};

}  // namespace

std::optional<Pair> parse_link(const std::string& text, const std::string& separator) {
  const std::size_t at = separator.empty() ? std::string::npos : text.find(separator);
  if (at == std::string::npos || at == 0 || at + separator.size() >= text.size())
    return std::nullopt;
  return Pair{text.substr(0, at), text.substr(at + separator.size())};
}

std::vector<Pair> corridor_pairs(const std::vector<std::string>& nodes) {
  std::vector<Pair> pairs;
  for (std::size_t k = 1; k < nodes.size(); ++k) pairs.emplace_back(nodes[k - 1], nodes[k]);
  return pairs;
}

LinkIndex index_links(const std::vector<std::string>& origin,
                      const std::vector<std::string>& destination) {
  LinkIndex index;
  index.row.reserve(origin.size());
  const auto id = [&](const std::string& name) {
    return index.node.emplace(name, index.node.size()).first->second;
  };
  for (std::size_t r = 0; r < origin.size(); ++r) {
    const auto [it, added] = index.row.emplace(id(origin[r]) << 32 | id(destination[r]), r);
    if (!added && !index.duplicate) index.duplicate = {it->second, r};
  }
  return index;
}

std::optional<std::size_t> LinkIndex::find(const Pair& link) const {
  const auto a = node.find(link.first), b = node.find(link.second);
  if (a == node.end() || b == node.end()) return std::nullopt;
  const auto it = row.find(a->second << 32 | b->second);
  if (it == row.end()) return std::nullopt;
  return it->second;
}

std::vector<std::size_t> rows_of_link(const LinkIndex& index, const Pair& link) {
  std::vector<std::size_t> rows;
  for (const Pair& p : {link, Pair{link.second, link.first}}) {
    const auto r = index.find(p);
    if (r && std::find(rows.begin(), rows.end(), *r) == rows.end())
      rows.push_back(*r);  // A-A is one row, not two
  }
  return rows;
}

std::vector<std::size_t> rows_touching(const std::vector<std::string>& origin,
                                       const std::vector<std::string>& destination,
                                       const std::set<std::string>& nodes) {
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < origin.size(); ++r)
    if (nodes.count(origin[r]) || nodes.count(destination[r])) rows.push_back(r);
  return rows;
}

std::vector<double> scaled(const std::vector<double>& values,
                           const std::vector<std::uint8_t>& selected, double factor) {
  std::vector<double> out = values;
  for (std::size_t k = 0; k < out.size(); ++k)
    if (selected[k]) out[k] *= factor;
  return out;
}

double mean_saved(const std::vector<double>& before, const std::vector<double>& after,
                  const std::vector<std::uint8_t>& selected,
                  const std::vector<std::uint8_t>& valid) {
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t k = 0; k < before.size(); ++k)
    if (selected[k] && valid[k]) sum += before[k] - after[k], ++n;
  return n ? sum / static_cast<double>(n) : 0.0;
}

}  // namespace klaster::plugins::logistics_investment

KLASTER_PLUGIN(klaster::plugins::logistics_investment::LogisticsInvestment)

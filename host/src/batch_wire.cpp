// Scenario outcomes as bytes between processes of one machine (same byte order and type sizes).
#include "batch_wire.hpp"

#include <cstring>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <unordered_map>

namespace klaster {

namespace {

class Writer {
 public:
  template <class T>
  void put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void put_string(std::string_view s) {
    put<std::uint64_t>(s.size());
    out_.append(s.data(), s.size());
  }
  template <class T>
  void put_vector(const std::vector<T>& v) {
    put<std::uint64_t>(v.size());
    out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  template <class T>
  T get() {
    T v;
    std::memcpy(&v, need(sizeof v), sizeof v);
    return v;
  }
  std::string get_string() {
    const auto n = get<std::uint64_t>();
    return std::string(need(n), n);
  }
  template <class T>
  std::vector<T> get_vector() {
    const auto n = get<std::uint64_t>();
    if (n > in_.size() / sizeof(T)) throw std::runtime_error("scenario outcome cut short");
    std::vector<T> v(n);
    const char* from = need(n * sizeof(T));
    if (n > 0) std::memcpy(v.data(), from, n * sizeof(T));  // memcpy needs non-null pointers
    return v;
  }
  bool done() const { return in_.empty(); }

 private:
  const char* need(std::size_t n) {
    if (n > in_.size()) throw std::runtime_error("scenario outcome cut short");
    const char* p = in_.data();
    in_.remove_prefix(n);
    return p;
  }
  std::string_view in_;
};

/// A string column travels as the strings its rows use (not its whole shared dictionary, which
/// may hold every key of the dataset) and codes into them.
void put_strings(Writer& w, const sdk::Column& c) {
  std::unordered_map<std::int32_t, std::int32_t> local;
  std::vector<std::int32_t> codes;
  std::vector<std::int32_t> used;
  codes.reserve(c.codes.size());
  for (std::int32_t code : c.codes) {
    if (code < 0) {
      codes.push_back(-1);
      continue;
    }
    auto [it, fresh] = local.try_emplace(code, static_cast<std::int32_t>(used.size()));
    if (fresh) used.push_back(code);
    codes.push_back(it->second);
  }
  w.put<std::uint64_t>(used.size());
  for (std::int32_t code : used) w.put_string(c.dict->at(code));
  w.put_vector(codes);
}

sdk::Column get_strings(Reader& r, std::string name) {
  auto dict = std::make_shared<sdk::Dictionary>();
  const auto n = r.get<std::uint64_t>();
  for (std::uint64_t i = 0; i < n; ++i) dict->intern(r.get_string());
  auto codes = r.get_vector<std::int32_t>();
  for (std::int32_t code : codes)
    if (code >= static_cast<std::int32_t>(n)) throw std::runtime_error("bad string code");
  return sdk::Column::make_strings(std::move(name), std::move(dict), std::move(codes));
}

void put_column(Writer& w, const sdk::Column& c) {
  w.put_string(c.name);
  w.put(static_cast<std::uint8_t>(c.type));
  if (c.type == sdk::ColumnType::kString) return put_strings(w, c);
  if (c.type == sdk::ColumnType::kInt)
    w.put_vector(c.ints);
  else
    w.put_vector(c.floats);
  w.put_vector(c.valid);
}

sdk::Column get_column(Reader& r) {
  std::string name = r.get_string();
  const auto type = static_cast<sdk::ColumnType>(r.get<std::uint8_t>());
  if (type == sdk::ColumnType::kString) return get_strings(r, std::move(name));
  if (type == sdk::ColumnType::kInt) {
    auto values = r.get_vector<std::int64_t>();
    return sdk::Column::make_ints(std::move(name), std::move(values), r.get_vector<std::uint8_t>());
  }
  if (type != sdk::ColumnType::kFloat) throw std::runtime_error("bad column type");
  auto values = r.get_vector<double>();
  return sdk::Column::make_floats(std::move(name), std::move(values), r.get_vector<std::uint8_t>());
}

}  // namespace

std::string encode_outcome(const RunOutcome& o) {
  Writer w;
  w.put(o.task);
  w.put<std::uint8_t>(o.ok ? 1 : 0);
  w.put_string(o.error);
  w.put(o.seconds);
  w.put<std::uint64_t>(o.tables.size());
  for (const auto& [name, table] : o.tables) {
    w.put_string(name);
    w.put<std::uint64_t>(table.columns().size());
    for (const auto& c : table.columns()) put_column(w, c);
  }
  w.put<std::uint64_t>(o.units.size());
  for (const auto& [table, units] : o.units) {
    w.put_string(table);
    w.put<std::uint64_t>(units.size());
    for (const auto& [column, unit] : units) {
      w.put_string(column);
      w.put_string(unit);
    }
  }
  return w.take();
}

RunOutcome decode_outcome(std::string_view bytes) {
  Reader r(bytes);
  RunOutcome o;
  o.task = r.get<RunTask>();
  o.ok = r.get<std::uint8_t>() != 0;
  o.error = r.get_string();
  o.seconds = r.get<double>();
  const auto tables = r.get<std::uint64_t>();
  for (std::uint64_t t = 0; t < tables; ++t) {
    std::string name = r.get_string();
    const auto n = r.get<std::uint64_t>();
    std::vector<sdk::Column> columns;
    for (std::uint64_t i = 0; i < n; ++i) columns.push_back(get_column(r));
    o.tables.emplace_back(std::move(name), sdk::Table(std::move(columns)));
  }
  const auto tables_with_units = r.get<std::uint64_t>();
  for (std::uint64_t t = 0; t < tables_with_units; ++t) {
    auto& units = o.units[r.get_string()];
    const auto n = r.get<std::uint64_t>();
    for (std::uint64_t i = 0; i < n; ++i) {
      std::string column = r.get_string();
      units[column] = r.get_string();
    }
  }
  if (!r.done()) throw std::runtime_error("scenario outcome has trailing bytes");
  return o;
}

}  // namespace klaster

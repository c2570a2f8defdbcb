# Sourced by the data-path benchmark scripts: makes (once) the 30M-row CSV and its dataset.toml in
# $1/bench-data with $1/bin/gen_regional_csv, and sets data_dir and csv.
data_dir="$1/bench-data"
csv="$data_dir/regional.csv"
mkdir -p "$data_dir"
if [[ ! -s "$csv" ]]; then
  echo "generating $csv (30M rows) ..."
  "$1/bin/gen_regional_csv" "$csv"
fi
cat > "$data_dir/dataset.toml" <<TOML
name = "synthetic regional benchmark (bench/gen_regional_csv.cpp, seed 42)"
[tables.activity]
file = "regional.csv"
columns = { year = "int", region = "string", industry = "string", value = "float" }
TOML

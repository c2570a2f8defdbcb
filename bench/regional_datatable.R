# Baseline for the data-path benchmark (bench/README.md): the same work as bench/regional.toml
# with R's data.table on all cores. Usage: Rscript regional_datatable.R INPUT.csv OUT_DIR
suppressMessages(library(data.table))
setDTthreads(0)  # all cores, as klaster uses (the default is half of them)
args <- commandArgs(trailingOnly = TRUE)
input <- args[1]
out <- args[2]
dir.create(out, showWarnings = FALSE, recursive = TRUE)
cat("data.table", as.character(packageVersion("data.table")), "threads", getDTthreads(), "\n")

started <- proc.time()[["elapsed"]]  # the work alone, without R's start-up and library(data.table)
d <- fread(input)
d[, region_total := sum(value), by = .(year, region)]
d[, industry_total := sum(value), by = .(year, industry)]
d[, total := sum(value), by = year]
# Location quotient (Miller & Blair 2009, 8.5.1)
d[, lq := (value / region_total) / (industry_total / total)]
fwrite(d[, .(year, region, industry, lq)], file.path(out, "lq.csv"))
# Herfindahl of each industry across regions
fwrite(d[, .(hhi = sum((value / sum(value))^2)), by = .(year, industry)], file.path(out, "hhi.csv"))
# Gini of a vector (REAT's gini(): sum_ij |x_i - x_j| / (2 n^2 mean)), via the sorted form
gini <- function(x) {
  x <- sort(x)
  n <- length(x)
  sum((2 * seq_len(n) - n - 1) * x) / (n * sum(x))
}
# Specialisation per region: Krugman index and Gini of the region's LQs
spec <- d[, .(krugman = sum(abs(value / region_total - industry_total / total)), gini = gini(lq)),
          by = .(year, region)]
fwrite(spec, file.path(out, "specialization.csv"))
# Concentration per industry: locational Gini of the industry's LQs across regions
fwrite(d[, .(gini = gini(lq)), by = .(year, industry)], file.path(out, "concentration.csv"))
cat(sprintf("work_seconds %.3f\n", proc.time()[["elapsed"]] - started))

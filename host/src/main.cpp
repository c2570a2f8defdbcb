// klaster: the command-line host. Subcommands: run, validate, batch, plugins, describe, new-plugin,
// export.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <future>
#include <iostream>
#include <set>

#include "batch.hpp"
#include "batch_export.hpp"
#include "batch_mpi.hpp"
#include "batch_progress.hpp"
#include "config.hpp"
#include "errors.hpp"
#include "export.hpp"
#include "new_plugin.hpp"
#include "output_writer.hpp"
#include "pipeline.hpp"
#include "plugin_loader.hpp"
#include "report.hpp"
#include "report_batch.hpp"
#include "report_page.hpp"
#include "run_guard.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace klaster {
namespace {

const char* kUsage =
    "Usage: klaster <command> [options]\n"
    "\n"
    "Commands:\n"
    "  run PIPELINE        run a pipeline, write its tables and run.json to the output folder\n"
    "  validate PIPELINE   check a pipeline, its dataset and plugins without running any step\n"
    "  batch BATCH         run a batch file's scenarios into one SQLite store (docs/batch.md)\n"
    "  batch validate BATCH\n"
    "                      expand a batch file's scenarios and validate each\n"
    "  batch export STORE  a batch store's tables as CSV, the scenario's columns first\n"
    "  plugins             list the plugins found\n"
    "  describe PLUGIN     everything about one plugin: parameters, tables read and written\n"
    "  new-plugin NAME     a new plugin's folder to start from (source, test, README, CMake)\n"
    "  report RUN_DIR      one self-contained HTML file of a run: charts, map, tables\n"
    "  report STORE        the same of a batch store: scenarios, charts across them\n"
    "  export RUN_DIR      a run folder's tables and manifest as one Excel workbook\n"
    "\n"
    "Options:\n"
    "  -h [ --help ]       this help; `klaster <command> --help` for a command's options\n"
    "  --version           print the klaster version\n";

/// Options shared by the commands that load plugins.
void add_plugin_options(po::options_description& d, std::vector<std::string>& dirs) {
  d.add_options()("plugin-dir", po::value<std::vector<std::string>>(&dirs)->composing(),
                  "also search this folder for plugins (repeatable; searched first)");
}

void add_log_options(po::options_description& d, std::string& level, bool& quiet) {
  d.add_options()("log-level", po::value<std::string>(&level)->default_value("warn"),
                  "trace, debug, info, warn, error or off")("quiet,q", po::bool_switch(&quiet),
                                                            "print nothing but errors");
}

void setup_logging(const std::string& level, bool quiet) {
  auto logger = spdlog::stderr_color_mt("klaster");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%^%l%$: %v");
  const auto lvl = spdlog::level::from_str(level);
  if (lvl == spdlog::level::off && level != "off")
    throw HostError(kExitPipeline,
                    "--log-level " + level + ": use trace, debug, info, warn, error or off");
  spdlog::set_level(quiet ? std::max(lvl, spdlog::level::err) : lvl);
}

/// Parses a subcommand's options. Returns false after printing help.
bool parse(const std::vector<std::string>& args, const po::options_description& visible,
           const po::options_description& hidden, const po::positional_options_description& pos,
           po::variables_map& vm, const std::string& usage) {
  po::options_description all;
  all.add(visible).add(hidden);
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    if (vm.count("help")) {
      std::cout << usage << "\n" << visible;
      return false;
    }
    po::notify(vm);
  } catch (const po::required_option& e) {  // a positional argument: name it as the usage does
    std::string name = e.get_option_name();
    name.erase(0, name.find_first_not_of('-'));
    std::transform(name.begin(), name.end(), name.begin(), ::toupper);
    throw HostError(kExitPipeline, "missing " + name + "\n" + usage);
  } catch (const po::error& e) {
    throw HostError(kExitPipeline, std::string(e.what()) + "\n" + usage);
  }
  return true;
}

/// Every plugin of the search path, or only those `names` (PluginRegistry::load_named).
PluginRegistry load_plugins(const std::vector<std::string>& dirs,
                            const std::set<std::string>* names = nullptr) {
  PluginRegistry registry;
  const auto search = plugin_search_path(dirs);
  for (const auto& d : search) spdlog::debug("plugin folder: {}", d.string());
  if (names)
    registry.load_named(search, *names);
  else
    registry.load_dirs(search);
  return registry;
}

/// The pipeline's own files, which its output folder must never replace.
ProtectedPaths protected_paths(const ValidatedPipeline& vp) {
  ProtectedPaths p{vp.config.path, vp.config.dataset_dir, {vp.dataset.path}};
  for (const auto& t : vp.dataset.tables) p.input_files.push_back(t.file);
  return p;
}

/// What an interrupt prints, after removing the run's stage (OutputStage::abandon_active).
std::string interrupted(const std::string& signal, const fs::path& out) {
  const std::string step = running_step();
  std::string line = "error: interrupted by " + signal + (step.empty() ? "" : " in " + step);
  switch (OutputStage::abandon_active()) {
    case OutputStage::Abandoned::kRemoved:
      return line + "; nothing was written: the output folder " + out.string() + " is as it was";
    case OutputStage::Abandoned::kCommitted:
      return line + "; the output folder " + out.string() + " was written in full before";
    default:
      return line;
  }
}

/// From here on, a Ctrl-C or a crash in a plugin ends the run with one line saying what became
/// of the output folder `out` (docs/faults.md).
void guard_run(const fs::path& out) {
  watch_interrupts([out](const std::string& signal) { return interrupted(signal, out); });
  report_crashes(
      "the output folder " + out.string() +
      " is as it was; the next klaster run into it removes what this one left beside it");
}

/// The command line, for reexec_with_huge_pages().
char** process_argv = nullptr;

/// Large tables and IO matrices are allocated by malloc (vectors, Eigen). With transparent huge
/// pages in "madvise" mode (Debian's default), every 4 KiB of them costs a page fault, which in a
/// VM dominates: a 2000 x 2000 LU took 3x longer than with huge pages. glibc (2.35+) advises huge
/// pages for its own large mappings when the tunable glibc.malloc.hugetlb=1 is set, which only
/// works from process start: so klaster re-executes itself once with it, which costs a second
/// start of the dynamic loader (about 15 ms of CPU). `run` does so only for a dataset of
/// kHugePagesMinBytes or more; `batch`, `report` and `export` always. KLASTER_NO_HUGEPAGES=1 turns
/// it off.
void reexec_with_huge_pages() {
  if (std::getenv("KLASTER_NO_HUGEPAGES") || std::getenv("KLASTER_REEXECED") || !process_argv)
    return;
  std::string tunables = std::getenv("GLIBC_TUNABLES") ? std::getenv("GLIBC_TUNABLES") : "";
  if (tunables.find("glibc.malloc.hugetlb") != std::string::npos) return;
  tunables = tunables.empty() ? "glibc.malloc.hugetlb=1" : tunables + ":glibc.malloc.hugetlb=1";
  setenv("GLIBC_TUNABLES", tunables.c_str(), 1);
  setenv("KLASTER_REEXECED", "1", 1);
  execv("/proc/self/exe", process_argv);
  // exec failed (no /proc?): run as we are.
}

/// Datasets from this size (the files of their tables together) are run with huge pages.
constexpr std::uintmax_t kHugePagesMinBytes = 16u << 20;

/// The size of the dataset's table files; 0 when the manifest cannot be read (the run says why).
std::uintmax_t dataset_bytes(const PipelineConfig& config) {
  std::uintmax_t bytes = 0;
  try {
    for (const auto& t : read_dataset_manifest(config.dataset_dir).tables) {
      std::error_code ec;
      const auto size = fs::file_size(t.file, ec);
      if (!ec) bytes += size;
    }
  } catch (const HostError&) {
    return 0;
  }
  return bytes;
}

/// The options of `klaster run` and `klaster validate`.
struct RunArgs {
  std::string pipeline_file, out_dir, log_level;
  std::vector<std::string> plugin_dirs, overrides;
  bool quiet = false;
  double max_memory = 0;  // MiB of address space; 0: no limit
};

/// Parses `run`'s (or `validate`'s) options into `a`. Returns false after printing help.
bool parse_run_args(const std::vector<std::string>& args, bool validate_only, RunArgs& a) {
  po::options_description opts(validate_only ? "klaster validate options" : "klaster run options");
  opts.add_options()("help,h", "show this help");
  add_plugin_options(opts, a.plugin_dirs);
  opts.add_options()(
      "set", po::value<std::vector<std::string>>(&a.overrides)->composing(),
      "STEP.PARAM=VALUE: override one step parameter (VALUE read as TOML, else a string)");
  if (!validate_only)
    opts.add_options()("out,o", po::value<std::string>(&a.out_dir),
                       "output folder (default: the pipeline's `output`); must be new, empty, "
                       "or a previous klaster output")(
        "max-memory", po::value<double>(&a.max_memory)->default_value(0, "none"),
        "MiB of address space the run may use; an allocation past it fails the step (exit 1)");
  add_log_options(opts, a.log_level, a.quiet);
  po::options_description hidden;
  hidden.add_options()("pipeline", po::value<std::string>(&a.pipeline_file)->required());
  po::positional_options_description pos;
  pos.add("pipeline", 1);
  po::variables_map vm;
  const std::string usage =
      validate_only
          ? "Usage: klaster validate PIPELINE [--plugin-dir DIR]... [--set STEP.PARAM=VALUE]..."
          : "Usage: klaster run PIPELINE [--out DIR] [--plugin-dir DIR]... [--set "
            "STEP.PARAM=VALUE]... [--max-memory MIB] [--log-level LEVEL] [--quiet]";
  return parse(args, opts, hidden, pos, vm, usage);
}

/// Lowers the calling thread's CPU priority to nice 10 (on Linux nice is per thread), for work that
/// runs beside the steps and is needed only at the end: the steps' threads get the cores first, and
/// it takes the time they leave idle. The checksums of a 777 MB input cost 0.8 s of CPU; at normal
/// priority they took a third of the cores from the CSV reader's threads. When the steps are done
/// it has the cores to itself (on a machine busy with other work it gets a nice-10 share).
void lower_thread_priority() {
#if defined(__linux__)
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10);  // on failure it stays
#endif
}

/// Runs the validated pipeline into its output folder and prints its summaries.
int execute_run(const RunArgs& a, const ValidatedPipeline& vp) {
  const std::string started_at = utc_now();
  const auto start = std::chrono::steady_clock::now();
  const fs::path out = a.out_dir.empty() ? fs::path(vp.config.output) : fs::path(a.out_dir);
  OutputStage stage(out, protected_paths(vp));  // refuses an output folder before any step runs
  guard_run(out);
  // Checksums for run.json are computed while the steps run (they read every dataset file).
  auto checksums = std::async(std::launch::async, [&vp] {
    lower_thread_priority();
    return checksum_inputs(vp);
  });
  RunResult result = run_pipeline(vp, [&](const std::string& name, const sdk::Table& table) {
    stage.write_table(name, table);
  });
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stage.write_text("run.json",
                   run_record_json(vp, result, checksums.get(), a.overrides, wall, started_at));
  stage.commit();
  report_crashes("the output folder " + out.string() + " was written in full before");
  if (a.quiet) return kExitOk;
  std::size_t tables = 0;
  for (const auto& s : result.steps) tables += s.tables_written.size();
  std::cout << vp.config.name << ": " << result.steps.size() << " steps, " << tables
            << " tables written to " << out.string() << "/ in " << fmt::format("{:.2f}", wall)
            << " s\n";
  std::cout << format_summaries(vp, result);
  return kExitOk;
}

int cmd_run(const std::vector<std::string>& args, bool validate_only) {
  RunArgs a;
  if (!parse_run_args(args, validate_only, a)) return kExitOk;
  setup_logging(a.log_level, a.quiet);
  if (a.max_memory < 0 || !std::isfinite(a.max_memory))
    throw HostError(kExitPipeline, "--max-memory must be 0 (no limit) or more MiB");
  if (a.max_memory > 0) limit_memory(a.max_memory);

  PipelineConfig config = read_pipeline(a.pipeline_file);
  if (!validate_only && dataset_bytes(config) >= kHugePagesMinBytes) reexec_with_huge_pages();
  for (const auto& o : a.overrides) apply_override(config, o);
  std::set<std::string> needed;
  for (const auto& step : config.steps) needed.insert(step.plugin);
  PluginRegistry plugins = load_plugins(a.plugin_dirs, &needed);
  ValidatedPipeline vp = validate_pipeline(std::move(config), plugins);
  if (!validate_only) return execute_run(a, vp);
  if (!a.quiet)
    std::cout << "ok: " << a.pipeline_file << ": " << vp.steps.size()
              << " steps valid over dataset '" << vp.dataset.name << "'\n";
  return kExitOk;
}

std::string counted(std::size_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

/// "ok: BATCH: N scenarios over M pipelines valid (N x M runs)".
std::string batch_summary(const std::string& file, const BatchConfig& batch) {
  const std::size_t n = batch.scenarios.size(), m = batch.pipelines.size();
  return "ok: " + file + ": " + counted(n, "scenario") + " over " + counted(m, "pipeline") +
         " valid (" + counted(n * m, "run") + ")\n";
}

/// "BATCH: N runs: K ok, F failed, S already in the store; store PATH".
std::string batch_run_summary(const std::string& file, const BatchConfig& b, const BatchCounts& c) {
  return file + ": " + counted(c.ok + c.failed, "run") + ": " + std::to_string(c.ok) + " ok, " +
         std::to_string(c.failed) + " failed" +
         (c.skipped ? ", " + std::to_string(c.skipped) + " already in the store" : "") +
         "; store " + b.store + "\n";
}

const char* kBatchUsage =
    "Usage: klaster batch BATCH [--jobs N] [--timeout SECONDS] [--max-memory MIB] [--resume]\n"
    "                     [--plugin-dir DIR]... [--quiet]\n"
    "       mpirun -np N klaster batch BATCH --mpi [--jobs N] [--timeout SECONDS] [--resume] ...\n"
    "       klaster batch validate BATCH [--list] [--plugin-dir DIR]...\n"
    "       klaster batch export STORE [--table T]... [--format csv] [-o PATH]";

/// `klaster batch validate BATCH`: every scenario on every pipeline, as `klaster validate --set`.
int batch_validate(const std::string& file, const PluginRegistry& plugins, bool list, bool quiet) {
  const BatchConfig batch = read_batch(file);
  validate_batch(batch, plugins);
  if (list)
    for (const auto& s : batch.scenarios) std::cout << s.label() << "\n";
  if (!quiet) std::cout << batch_summary(file, batch);
  return kExitOk;
}

/// `klaster batch BATCH`: every scenario run on worker processes into the store; exit 1 if any
/// failed. Progress on stderr unless --quiet.
int batch_run(const std::string& file, const PluginRegistry& plugins, BatchRunOptions options,
              bool quiet, bool mpi) {
  BatchProgress progress(::isatty(STDERR_FILENO) != 0);
  std::size_t runs = 0;
  if (!quiet)
    options.progress = [&](const BatchCounts& c, std::size_t n) { progress.update(c, runs = n); };
  BatchConfig batch;
  BatchCounts counts;
  if (mpi) {  // every rank comes back here; rank 0 alone reports and sets the exit code
    MpiBatchResult r = run_batch_mpi(file, plugins, options);
    if (!r.root) return kExitOk;
    batch = std::move(r.batch);
    counts = r.counts;
  } else {
    batch = read_batch(file);
    counts = run_batch(batch, plugins, options);
  }
  if (!quiet) {
    progress.finish(counts, runs);
    std::cout << batch_run_summary(file, batch, counts);
  }
  return counts.failed ? kExitStepFailed : kExitOk;
}

const char* kExportUsage =
    "Usage: klaster batch export STORE [--table T]... [--format csv] [-o PATH]";

/// `klaster batch export STORE`: output tables as CSV with the scenario's columns first.
int cmd_batch_export(const std::vector<std::string>& args) {
  ExportOptions o;
  std::string log_level;
  bool quiet = false;
  po::options_description opts("klaster batch export options");
  opts.add_options()("help,h", "show this help")(
      "table", po::value<std::vector<std::string>>(&o.tables)->composing(),
      "an output table of the store, e.g. kz_auto_cluster__hhi (repeatable; default: all)")(
      "format", po::value<std::string>(&o.format)->default_value("csv"), "csv (the only one)")(
      "out,o", po::value<std::string>(&o.out),
      "a new folder (default: <store stem>_export/ beside the store); with one --table a new "
      "CSV file, or - for stdout");
  add_log_options(opts, log_level, quiet);
  po::options_description hidden;
  hidden.add_options()("store", po::value<std::string>(&o.store)->required());
  po::positional_options_description pos;
  pos.add("store", 1);
  po::variables_map vm;
  if (!parse(args, opts, hidden, pos, vm, kExportUsage)) return kExitOk;
  setup_logging(log_level, quiet);
  const std::string said = export_store(o);
  if (!quiet) std::cout << said;
  return kExitOk;
}

int cmd_batch(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "export") return cmd_batch_export({args.begin() + 1, args.end()});
  std::string action, batch_file, log_level;
  std::vector<std::string> plugin_dirs;
  bool quiet = false, list = false, mpi = false;
  BatchRunOptions run;
  po::options_description opts("klaster batch options");
  opts.add_options()("help,h", "show this help");
  opts.add_options()("resume", po::bool_switch(&run.resume),
                     "continue an existing store: run only the scenarios it lacks")(
      "jobs,j", po::value<int>(&run.jobs)->default_value(-1, "one per core"),
      "worker processes; 0 runs the scenarios in this process, not isolated")(
      "timeout", po::value<double>(&run.timeout)->default_value(0, "none"),
      "seconds one scenario may run before its worker is stopped and it is recorded as failed")(
      "max-memory", po::value<double>(&run.max_memory)->default_value(0, "none"),
      "MiB of address space each worker may use; a scenario needing more fails")(
      "list", po::bool_switch(&list), "validate: print each scenario, its id and settings")(
      "mpi", po::bool_switch(&mpi),
      "under mpirun: rank 0 owns the store and hands out scenarios, every rank runs them on its "
      "own --jobs workers (default 1)");
  add_plugin_options(opts, plugin_dirs);
  add_log_options(opts, log_level, quiet);
  po::options_description hidden;
  // The first word is the batch file, or "validate" followed by it.
  hidden.add_options()("batch", po::value<std::string>(&action)->required())(
      "batch_file", po::value<std::string>(&batch_file));
  po::positional_options_description pos;
  pos.add("batch", 1).add("batch_file", 1);
  po::variables_map vm;
  if (!parse(args, opts, hidden, pos, vm, kBatchUsage)) return kExitOk;
  if (action == "validate" ? batch_file.empty() : !batch_file.empty())
    throw HostError(kExitPipeline, std::string("batch: expected one batch file\n") + kBatchUsage);
  if (mpi && action != "validate") exec_mpi_build(args);
  setup_logging(log_level, quiet);
  const PluginRegistry plugins = load_plugins(plugin_dirs);
  if (action == "validate") return batch_validate(batch_file, plugins, list, quiet);
  if (run.jobs < -1 || run.timeout < 0 || run.max_memory < 0 ||
      ((run.timeout > 0 || run.max_memory > 0) && run.jobs == 0))
    throw HostError(kExitPipeline,
                    "batch: --jobs, --timeout and --max-memory must be 0 or more; --timeout and "
                    "--max-memory need worker processes (--jobs 1 or more)");
  if (mpi && run.jobs == 0)
    throw HostError(kExitPipeline, "batch: --mpi needs worker processes (--jobs 1 or more)");
  if (mpi && run.jobs < 0) run.jobs = 1;  // one worker per rank: mpirun places the ranks
  return batch_run(action, plugins, run, quiet, mpi);
}

int cmd_plugins(const std::vector<std::string>& args) {
  std::vector<std::string> plugin_dirs;
  std::string log_level;
  bool quiet = false;
  po::options_description opts("klaster plugins options");
  opts.add_options()("help,h", "show this help");
  add_plugin_options(opts, plugin_dirs);
  add_log_options(opts, log_level, quiet);
  po::variables_map vm;
  if (!parse(args, opts, {}, {}, vm, "Usage: klaster plugins [--plugin-dir DIR]..."))
    return kExitOk;
  setup_logging(log_level, quiet);
  std::cout << list_plugins(load_plugins(plugin_dirs));
  return kExitOk;
}

int cmd_describe(const std::vector<std::string>& args) {
  std::vector<std::string> plugin_dirs;
  std::string name, log_level, lang;
  bool quiet = false;
  po::options_description opts("klaster describe options");
  opts.add_options()("help,h", "show this help")(
      "lang", po::value<std::string>(&lang)->default_value("en"),
      "en or ru: the plugin's own texts in that language, where it translates them");
  add_plugin_options(opts, plugin_dirs);
  add_log_options(opts, log_level, quiet);
  po::options_description hidden;
  hidden.add_options()("plugin", po::value<std::string>(&name)->required());
  po::positional_options_description pos;
  pos.add("plugin", 1);
  po::variables_map vm;
  if (!parse(args, opts, hidden, pos, vm,
             "Usage: klaster describe PLUGIN [--lang en|ru] [--plugin-dir DIR]..."))
    return kExitOk;
  setup_logging(log_level, quiet);
  const ReportLang describe_lang = parse_report_lang(lang);
  PluginRegistry registry = load_plugins(plugin_dirs);
  const LoadedPlugin* p = registry.find(name);
  if (!p) {
    std::string msg = "unknown plugin '" + name + "'";
    if (auto near = sdk::nearest(name, registry.names()); !near.empty())
      msg += " (did you mean '" + near + "'?)";
    std::string searched;
    for (const auto& d : plugin_search_path(plugin_dirs))
      searched += (searched.empty() ? "" : ", ") + d.string();
    throw HostError(kExitPipeline,
                    msg + "; searched " + searched + "; `klaster plugins` lists them");
  }
  std::cout << describe_plugin(*p, lang_code(describe_lang));
  return kExitOk;
}

const char* kReportUsage =
    "Usage: klaster report RUN_DIR|STORE [-o FILE] [--lang en|ru] [--plugin-dir DIR]...";

/// The report of a batch store (a SQLite file): default file STORE's name with .html; a store
/// that is empty, unfinished or whose batch file is gone gets a note here and in the report.
int report_store(const std::string& store, std::string out, ReportLang lang, bool quiet) {
  const BatchStoreReport s = read_batch_store(store);
  if (out.empty()) out = fs::path(store).replace_extension(".html").string();
  const std::string html = batch_report_page(s, lang, load_chart_libraries());
  write_report(out, html);
  if (const std::string status = batch_store_status(s, ReportLang::kEn); !status.empty())
    std::cerr << "note: " << store << ": " << status << "\n";
  if (!quiet) std::cout << "report: " << out << " (" << (html.size() + 1023) / 1024 << " KiB)\n";
  return kExitOk;
}

int cmd_report(const std::vector<std::string>& args) {
  std::string run_dir, out, lang, log_level;
  std::vector<std::string> plugin_dirs;
  bool quiet = false;
  po::options_description opts("klaster report options");
  opts.add_options()("help,h", "show this help")(
      "out,o", po::value<std::string>(&out),
      "the HTML file (default RUN_DIR/report.html, or STORE's name with .html); only a report "
      "klaster wrote is overwritten")("lang", po::value<std::string>(&lang)->default_value("en"),
                                      "en or ru");
  add_plugin_options(opts, plugin_dirs);
  add_log_options(opts, log_level, quiet);
  po::options_description hidden;
  hidden.add_options()("run_dir", po::value<std::string>(&run_dir)->required());
  po::positional_options_description pos;
  pos.add("run_dir", 1);
  po::variables_map vm;
  if (!parse(args, opts, hidden, pos, vm, kReportUsage)) return kExitOk;
  setup_logging(log_level, quiet);
  const ReportLang report_lang = parse_report_lang(lang);
  if (is_sqlite_file(run_dir)) return report_store(run_dir, out, report_lang, quiet);
  if (std::error_code ec; fs::is_regular_file(run_dir, ec))
    throw HostError(kExitPipeline, run_dir +
                                       ": neither a run folder nor a batch store (the SQLite "
                                       "file `klaster batch` writes)");
  const RunFolder run = read_run_folder(run_dir);
  const fs::path file = out.empty() ? fs::path(run_dir) / "report.html" : fs::path(out);
  const ChartLibraries libs = load_chart_libraries();
  const std::string html = report_page(run, load_plugins(plugin_dirs), report_lang, libs);
  write_report(file, html);
  if (!quiet)
    std::cout << "report: " << file.string() << " (" << (html.size() + 1023) / 1024 << " KiB)\n";
  return kExitOk;
}

int cmd_new_plugin(const std::vector<std::string>& args) {
  NewPluginRequest request;
  po::options_description opts("klaster new-plugin options");
  opts.add_options()("help,h", "show this help");
  opts.add_options()("kind", po::value<std::string>(&request.kind)->default_value(request.kind),
                     "indicator or measure");
  opts.add_options()("dir", po::value<std::string>(&request.dir)->default_value(request.dir),
                     "create NAME/ in this folder");
  po::options_description hidden;
  hidden.add_options()("name", po::value<std::string>(&request.name)->required());
  po::positional_options_description pos;
  pos.add("name", 1);
  po::variables_map vm;
  if (!parse(args, opts, hidden, pos, vm,
             "Usage: klaster new-plugin NAME [--kind indicator|measure] [--dir DIR]"))
    return kExitOk;
  std::cout << new_plugin(request);
  return kExitOk;
}

int cmd_export(const std::vector<std::string>& args) {
  ExportRequest request;
  std::string run_dir, out;
  po::options_description opts("klaster export options");
  opts.add_options()("help,h", "show this help");
  opts.add_options()("format", po::value<std::string>(&request.format)->default_value("xlsx"),
                     "xlsx (the only format so far)");
  opts.add_options()("output,o", po::value<std::string>(&out),
                     "the file to write (default: RUN_DIR.xlsx beside the run folder)");
  opts.add_options()("lang", po::value<std::string>(&request.lang)->default_value("en"),
                     "names of codes in en or ru");
  po::options_description hidden;
  hidden.add_options()("run_dir", po::value<std::string>(&run_dir)->required());
  po::positional_options_description pos;
  pos.add("run_dir", 1);
  po::variables_map vm;
  if (!parse(args, opts, hidden, pos, vm,
             "Usage: klaster export RUN_DIR [--format xlsx] [-o FILE] [--lang en|ru]"))
    return kExitOk;
  request.run_dir = run_dir;
  request.out = out;
  std::cout << export_run(request).string() << "\n";
  return kExitOk;
}

int main_impl(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kUsage;
    return kExitPipeline;
  }
  const std::string command = args.front();
  std::vector<std::string> rest(args.begin() + 1, args.end());
  process_argv = argv;
  if (command == "batch" || command == "report" || command == "export") reexec_with_huge_pages();
  if (command == "--version" || command == "version") {
    std::cout << "klaster " << KLASTER_VERSION << " (SDK ABI " << KLASTER_SDK_ABI_VERSION << ")\n";
    return kExitOk;
  }
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return kExitOk;
  }
  if (command == "run") return cmd_run(rest, false);
  if (command == "validate") return cmd_run(rest, true);
  if (command == "batch") return cmd_batch(rest);
  if (command == "plugins") return cmd_plugins(rest);
  if (command == "describe") return cmd_describe(rest);
  if (command == "new-plugin") return cmd_new_plugin(rest);
  if (command == "export") return cmd_export(rest);
  if (command == "report") return cmd_report(rest);
  std::string msg = "unknown command '" + command + "'";
  if (auto near = sdk::nearest(command, {"run", "validate", "batch", "plugins", "describe",
                                         "new-plugin", "export", "report"});
      !near.empty())
    msg += " (did you mean '" + near + "'?)";
  throw HostError(kExitPipeline, msg + "\n" + kUsage);
}

}  // namespace
}  // namespace klaster

int main(int argc, char** argv) {
  try {
    return klaster::main_impl(argc, argv);
  } catch (const klaster::HostError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return e.code();
  } catch (const std::bad_alloc&) {
    std::cerr << "error: " << klaster::out_of_memory_text() << "\n";
    return klaster::kExitStepFailed;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return klaster::kExitStepFailed;
  }
}

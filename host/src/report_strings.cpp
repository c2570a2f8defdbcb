#include "report_strings.hpp"

#include <map>
#include <utility>

#include "errors.hpp"
#include "klaster/sdk/plugin.hpp"
#include "report_html.hpp"

namespace klaster {

namespace {

/// A string in both languages: the constructor takes both, so an entry without its Russian twin
/// does not compile.
struct Entry {
  Entry(std::string en_text, std::string ru_text)
      : en(std::move(en_text)), ru(std::move(ru_text)) {}
  std::string en, ru;
};

const std::map<std::string, Entry>& strings() {
  static const std::map<std::string, Entry> table = {
      {"report", {"klaster report", "Отчёт klaster"}},
      {"contents", {"Contents", "Содержание"}},
      {"manifest", {"Manifest", "Сведения о расчёте"}},
      {"pipeline", {"Pipeline", "Конвейер"}},
      {"pipeline_file", {"Pipeline file", "Файл конвейера"}},
      {"dataset", {"Dataset", "Набор данных"}},
      {"source", {"Source", "Источник"}},
      {"klaster_version", {"klaster version", "Версия klaster"}},
      {"sdk_abi", {"SDK ABI", "ABI SDK"}},
      {"started", {"Started (UTC)", "Начало (UTC)"}},
      {"wall", {"Wall time, s", "Время, с"}},
      {"overrides", {"Overrides (--set)", "Переопределения (--set)"}},
      {"none", {"none", "нет"}},
      {"inputs", {"Input files and checksums", "Входные файлы и контрольные суммы"}},
      {"table", {"Table", "Таблица"}},
      {"file", {"File", "Файл"}},
      {"sha256", {"SHA-256", "SHA-256"}},
      {"step", {"Step", "Шаг"}},
      {"parameters", {"Parameters", "Параметры"}},
      {"parameter", {"Parameter", "Параметр"}},
      {"value", {"Value", "Значение"}},
      {"unit", {"Unit", "Единица измерения"}},
      {"rows", {"rows", "строк"}},
      {"summaries", {"Summaries", "Итоги"}},
      {"note", {"Note", "Примечание"}},
      {"no_rows", {"(no rows)", "(нет строк)"}},
      {"full_precision", {"Full precision", "Полная точность"}},
      {"sort_hint",
       {"Click a column header to sort; hover a number for its full precision.",
        "Щёлкните заголовок столбца, чтобы отсортировать; наведите на число, чтобы увидеть его "
        "полностью."}},
      {"first_rows",
       {"The first {} of {} rows; the whole table is {}.",
        "Первые {} из {} строк; вся таблица — в файле {}."}},
      {"not_inlined",
       {"{} rows: too many to show in the report; the table is {}.",
        "{} строк: слишком много для отчёта; таблица — в файле {}."}},
      {"chart_rows",
       {"The chart is drawn from the first {} of {} rows.",
        "График построен по первым {} из {} строк."}},
      {"no_description",
       {"Plugin '{}' was not found (klaster plugins lists those found): no description and no "
        "charts.",
        "Модуль «{}» не найден (их список — klaster plugins): нет описания и графиков."}},
      {"map_no_polygons",
       {"Map omitted: the dataset has no table 'region_polygons' (region boundaries).",
        "Карта не показана: в наборе данных нет таблицы region_polygons (границы регионов)."}},
      {"map_no_dataset",
       {"Map omitted: the dataset manifest {} cannot be read.",
        "Карта не показана: не удаётся прочитать описание набора данных {}."}},
      {"map_not_regions",
       {"Map omitted: column '{}' of table '{}' does not hold region codes.",
        "Карта не показана: столбец «{}» таблицы «{}» не содержит кодов регионов."}},
      {"map_points_note",
       {"Regions without a polygon of their own ({}) are drawn as circles at their centres.",
        "Регионы без собственного контура ({}) показаны кружками в их центрах."}},
      {"tree_too_large",
       {"Dendrogram omitted: {} items, more than the {} a dendrogram draws; the merges are in "
        "table '{}'.",
        "Дендрограмма не показана: {} объектов, больше {}, которые она может показать; слияния — "
        "в таблице «{}»."}},
      {"tree_bad",
       {"Dendrogram omitted: row {} of table '{}' is not a merge as R's hclust writes one.",
        "Дендрограмма не показана: строка {} таблицы «{}» не является слиянием в форме hclust "
        "из R."}},
      {"maps", {"Maps", "Карты"}},
      {"map_above", {"Map (in Maps, above)", "Карта (в разделе «Карты» выше)"}},
      {"stats_title",
       {"Every row of the table, column by column:", "Все строки таблицы, по столбцам:"}},
      {"column", {"Column", "Столбец"}},
      {"stats_given", {"Cells", "Ячеек"}},
      {"stats_missing", {"Missing", "Пропусков"}},
      {"stats_min", {"Min", "Мин."}},
      {"stats_mean", {"Mean", "Среднее"}},
      {"stats_max", {"Max", "Макс."}},
      {"stats_distinct", {"Distinct values", "Различных значений"}},
      {"summaries_unavailable", {"Summaries omitted: {}.", "Итоги не показаны: {}."}},
      {"pipeline_changed",
       {"the pipeline file {} changed since the run (its SHA-256 differs from run.json)",
        "файл конвейера {} изменился после расчёта (SHA-256 не совпадает с run.json)"}},
      {"placeholder_unrecorded",
       {"run.json records no value for the placeholder {{{}}} (written by an older klaster?)",
        "в run.json нет значения для подстановки {{{}}} (расчёт старой версией klaster?)"}},
      {"pipeline_missing",
       {"the pipeline file {} cannot be read", "не удаётся прочитать файл конвейера {}"}},
      {"generated", {"Written by klaster {} on {}.", "Создан klaster {} {}."}},
      {"chart_failed", {"The chart could not be drawn: ", "График не удалось построить: "}},
      {"region", {"Region", "Регион"}},
      {"series", {"Series", "Ряд"}},
      {"untranslated",
       {"not translated", "нет перевода: модуль не дал текста на русском, показан английский"}},
      {"untranslated_mark", {"EN", "англ."}},
      // The report of a batch store (report_batch.cpp).
      {"batch_report", {"Batch {}", "Пакет расчётов {}"}},
      {"batch_file", {"Batch file", "Файл пакета"}},
      {"store", {"Store", "Хранилище"}},
      {"created", {"Created (UTC)", "Создано (UTC)"}},
      {"pipelines", {"Pipelines", "Конвейеры"}},
      {"grid", {"Grid", "Сетка"}},
      {"more_values", {", ... ({} values)", ", ... (всего значений: {})"}},
      {"plugins", {"Plugins", "Модули"}},
      {"runs", {"Runs", "Расчёты"}},
      {"runs_counts", {"{} stored: {} ok, {} failed", "сохранено {}: успешно {}, с ошибкой {}"}},
      {"scenarios", {"Scenarios", "Сценарии"}},
      {"first_scenarios",
       {"The first {} of {} runs (failed ones first); every run is in the store's table "
        "'scenarios'.",
        "Первые {} из {} расчётов (сначала с ошибкой); все расчёты — в таблице scenarios "
        "хранилища."}},
      {"store_empty",
       {"The store holds no scenario yet.", "В хранилище пока нет ни одного сценария."}},
      {"store_unfinished",
       {"Unfinished: {} of the {} runs of the batch file are stored; continue with klaster batch "
        "{} --resume.",
        "Не завершено: сохранено {} из {} расчётов файла пакета; продолжить: klaster batch {} "
        "--resume."}},
      {"batch_file_missing",
       {"The batch file {} cannot be read: whether every run is stored is unknown.",
        "Не удаётся прочитать файл пакета {}: неизвестно, все ли расчёты сохранены."}},
      {"batch_file_changed",
       {"The batch file {} changed since the batch ran: whether every run is stored is unknown.",
        "Файл пакета {} изменился после расчёта: неизвестно, все ли расчёты сохранены."}},
      {"table_summary",
       {"Across the ok scenarios: count, min, mean and max of each value.",
        "По успешным сценариям: число, минимум, среднее и максимум каждого значения."}},
      {"first_groups",
       {"The first {} of {} rows; every row is in the store (klaster batch export).",
        "Первые {} из {} строк; все строки — в хранилище (klaster batch export)."}},
      {"chart_combinations",
       {"The chart offers the first {} of {} combinations of {}; every row is in the store.",
        "На графике — первые {} из {} сочетаний {}; все строки — в хранилище."}},
      {"by_grid", {"{} across the grid", "{} по сетке"}},
      {"by_scenario", {"{} by scenario", "{} по сценариям"}},
      {"no_ok_rows",
       {"No ok scenario wrote rows of this table.",
        "Ни один успешный сценарий не записал строк этой таблицы."}},
      {"scenario", {"Scenario", "Сценарий"}},
      {"on_map", {"{} on the map", "{} на карте"}},
      {"map_scenarios",
       {"The map offers the first {} of {} ok scenarios (by id); every row is in the store.",
        "На карте — первые {} из {} успешных сценариев (по id); все строки — в хранилище."}},
      {"first_bars",
       {"The chart shows the first {} scenarios.", "На графике — первые {} сценариев."}},
  };
  return table;
}

}  // namespace

ReportLang parse_report_lang(const std::string& text) {
  if (text == "en") return ReportLang::kEn;
  if (text == "ru") return ReportLang::kRu;
  throw HostError(kExitPipeline, "--lang " + text + ": use en or ru");
}

const char* lang_code(ReportLang lang) { return lang == ReportLang::kRu ? "ru" : "en"; }

const std::string& tr(ReportLang lang, const std::string& key) {
  const Entry& e = strings().at(key);
  return lang == ReportLang::kRu ? e.ru : e.en;
}

std::string plugin_text_html(const sdk::PluginInfo& info, ReportLang lang,
                             const std::string& english) {
  if (lang == ReportLang::kEn || english.empty()) return html_escape(english);
  if (const std::string* text = info.translation(lang_code(lang), english))
    return html_escape(*text);
  return "<span lang=\"en\">" + html_escape(english) +
         "</span> <span class=\"untranslated\" title=\"" + html_escape(tr(lang, "untranslated")) +
         "\">" + html_escape(tr(lang, "untranslated_mark")) + "</span>";
}

}  // namespace klaster

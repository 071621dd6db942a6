// Metrics <-> JSON, schema "zhsenti.metrics/1" (documented in metrics.h).

#include <fmt/format.h>

#include "zhsenti/core/error.h"
#include "zhsenti/eval/metrics.h"

namespace zhsenti::eval {

namespace {

using nlohmann::json;

constexpr std::string_view kSchema = "zhsenti.metrics/1";

json average_json(const AverageMetrics& a) {
  return {{"precision", a.precision}, {"recall", a.recall}, {"f1", a.f1}};
}

[[noreturn]] void fail(std::string_view message) {
  throw Error(ErrorCode::kFormat, fmt::format("metrics JSON: {}", message));
}

const json& field(const json& j, std::string_view key) {
  if (!j.is_object()) fail(fmt::format("expected an object holding {:?}", key));
  const auto it = j.find(key);
  if (it == j.end()) fail(fmt::format("missing {:?}", key));
  return *it;
}

double number(const json& j, std::string_view key) {
  const json& v = field(j, key);
  if (!v.is_number()) fail(fmt::format("{:?} must be a number, got {}", key, v.dump()));
  return v.get<double>();
}

std::int64_t integer(const json& j, std::string_view key) {
  const json& v = field(j, key);
  if (!v.is_number_integer()) fail(fmt::format("{:?} must be an integer, got {}", key, v.dump()));
  return v.get<std::int64_t>();
}

std::optional<double> optional_number(const json& j, std::string_view key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return number(j, key);
}

AverageMetrics average_from(const json& j) {
  return {number(j, "precision"), number(j, "recall"), number(j, "f1")};
}

}  // namespace

json Metrics::to_json() const {
  json classes = json::array();
  for (const auto& c : per_class) {
    classes.push_back({{"label", c.label},
                       {"precision", c.precision},
                       {"recall", c.recall},
                       {"f1", c.f1},
                       {"support", c.support},
                       {"predicted", c.predicted}});
  }
  return {{"schema", kSchema},
          {"num_examples", num_examples},
          {"accuracy", accuracy},
          {"macro_avg", average_json(macro)},
          {"weighted_avg", average_json(weighted)},
          {"per_class", classes},
          {"confusion_matrix", {{"labels", labels}, {"matrix", confusion}}},
          {"roc_auc", roc_auc ? json(*roc_auc) : json(nullptr)},
          {"log_loss", log_loss ? json(*log_loss) : json(nullptr)},
          {"notes", notes}};
}

Metrics Metrics::from_json(const json& j) {
  const json& schema = field(j, "schema");
  if (schema != kSchema) fail(fmt::format("schema is {}, expected \"{}\"", schema.dump(), kSchema));
  Metrics m;
  m.num_examples = integer(j, "num_examples");
  m.accuracy = number(j, "accuracy");
  m.macro = average_from(field(j, "macro_avg"));
  m.weighted = average_from(field(j, "weighted_avg"));
  const json& classes = field(j, "per_class");
  if (!classes.is_array()) fail("\"per_class\" must be an array");
  for (const auto& c : classes) {
    const json& label = field(c, "label");
    if (!label.is_string()) fail("per-class \"label\" must be a string");
    m.per_class.push_back({label.get<std::string>(), number(c, "precision"), number(c, "recall"), number(c, "f1"),
                           integer(c, "support"), integer(c, "predicted")});
    m.labels.push_back(label.get<std::string>());
  }
  const json& cm = field(field(j, "confusion_matrix"), "matrix");
  const std::size_t k = m.labels.size();
  if (!cm.is_array() || cm.size() != k) fail(fmt::format("confusion matrix must have {} rows", k));
  for (const auto& row : cm) {
    if (!row.is_array() || row.size() != k) fail(fmt::format("confusion matrix rows must have {} counts", k));
    std::vector<std::int64_t> counts;
    for (const auto& v : row) {
      if (!v.is_number_integer()) fail(fmt::format("confusion matrix count {} is not an integer", v.dump()));
      counts.push_back(v.get<std::int64_t>());
    }
    m.confusion.push_back(std::move(counts));
  }
  m.roc_auc = optional_number(j, "roc_auc");
  m.log_loss = optional_number(j, "log_loss");
  if (const auto it = j.find("notes"); it != j.end()) {
    if (!it->is_array()) fail("\"notes\" must be an array of strings");
    for (const auto& note : *it) {
      if (!note.is_string()) fail("\"notes\" must be an array of strings");
      m.notes.push_back(note.get<std::string>());
    }
  }
  return m;
}

}  // namespace zhsenti::eval

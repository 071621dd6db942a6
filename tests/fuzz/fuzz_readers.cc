// Arbitrary bytes as TSV, CSV, JSONL, a JSON array or sniffed content, under both bad-row
// policies: the readers either return rows or throw zhsenti::Error, never anything else.
// Rows that were read must survive a write/read round trip.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "zhsenti/core/error.h"
#include "zhsenti/data/dataset.h"
#include "zhsenti/data/writer.h"

namespace {

void check(std::string_view content, const char* source, const zhsenti::data::ReadOptions& options) {
  zhsenti::data::Dataset d;
  try {
    d = zhsenti::data::read_dataset_from_string(content, source, options);
  } catch (const zhsenti::Error&) {
    return;
  }
  if (d.examples.empty()) std::abort();
  if (!options.require_labels) return;
  const std::string tsv = zhsenti::data::format_examples(d.examples, "tsv");
  const auto back = zhsenti::data::read_dataset_from_string(tsv, "round.tsv");
  if (back.examples.size() != d.examples.size()) std::abort();
  for (std::size_t i = 0; i < d.examples.size(); ++i) {
    if (back.examples[i].text != d.examples[i].text || back.examples[i].label != d.examples[i].label) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  zhsenti::data::ReadOptions options;
  for (const char* source : {"f.tsv", "f.csv", "f.jsonl", "f.json", "f.txt"}) {
    options.on_bad_row = zhsenti::data::BadRowPolicy::kFail;
    check(content, source, options);
    options.on_bad_row = zhsenti::data::BadRowPolicy::kSkip;
    check(content, source, options);
  }
  options.require_labels = false;
  check(content, "f.txt", options);
  return 0;
}

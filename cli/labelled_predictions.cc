#include "labelled_predictions.h"

#include <fmt/format.h>

#include <algorithm>

#include "zhsenti/core/error.h"
#include "zhsenti/core/thread_pool.h"
#include "zhsenti/data/dataset.h"
#include "zhsenti/predict/batch_predict.h"
#include "zhsenti/train/labelled_corpus.h"

namespace zhsenti::cli {

LabelledPredictions predict_labelled_file(const predict::Predictor& predictor,
                                          const LabelledFile& file, int threads,
                                          std::string_view purpose) {
  data::ReadOptions read;
  read.text_col = file.text_col;
  read.label_col = file.label_col;
  read.on_bad_row = file.skip_bad_rows ? data::BadRowPolicy::kSkip : data::BadRowPolicy::kFail;
  read.skip_hint = "--skip-bad-rows";
  const data::Dataset ds = data::read_dataset(file.path, read);
  if (ds.examples.empty()) {
    throw Error(ErrorCode::kInvalidArgument, fmt::format("{}: no rows to {}", file.path, purpose));
  }
  LabelledPredictions out;
  out.skipped = ds.skipped.size();
  out.truth = train::label_ids(ds, predictor.labels());
  std::vector<std::string> texts;
  texts.reserve(ds.examples.size());
  for (const auto& ex : ds.examples) texts.push_back(ex.text);
  out.probabilities.resize(texts.size() * static_cast<std::size_t>(predictor.num_classes()));
  ThreadPool pool(static_cast<std::size_t>(std::max(threads, 0)));
  predict::predict_parallel(predictor, texts, pool, out.probabilities);
  return out;
}

}  // namespace zhsenti::cli

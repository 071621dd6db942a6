#pragma once
// A model's probabilities for every row of a labelled file, beside the rows' true label ids:
// what `eval` scores and `calibrate` fits its decision rule on.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "zhsenti/predict/predictor.h"

namespace zhsenti::cli {

struct LabelledFile {
  std::string path;
  std::string text_col, label_col;  // empty: the format's defaults
  bool skip_bad_rows = false;
};

struct LabelledPredictions {
  std::vector<std::int32_t> truth;   // label ids in the predictor's label order
  std::vector<float> probabilities;  // rows x classes, file order
  std::size_t skipped = 0;           // malformed rows skipped (LabelledFile::skip_bad_rows)
};

// threads: 0 = all cores. Throws Error naming the file if it has no rows (`purpose` says
// what they were for, e.g. "evaluate"), a bad row (unless skipped) or an unknown label.
LabelledPredictions predict_labelled_file(const predict::Predictor& predictor,
                                          const LabelledFile& file, int threads,
                                          std::string_view purpose);

}  // namespace zhsenti::cli

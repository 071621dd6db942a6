#pragma once
// Helpers for the data tests: read from a string, expect an error mentioning a text.

#include <gtest/gtest.h>

#include <string>

#include "zhsenti/core/error.h"
#include "zhsenti/data/dataset.h"

namespace zhsenti::data::test {

inline ReadOptions skip_bad_rows() {
  ReadOptions options;
  options.on_bad_row = BadRowPolicy::kSkip;
  return options;
}

// The message of the zhsenti::Error that reading throws ("" when nothing is thrown).
inline std::string read_error(const std::string& content, const std::string& source,
                              const ReadOptions& options = {}) {
  try {
    read_dataset_from_string(content, source, options);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace zhsenti::data::test

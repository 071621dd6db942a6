#pragma once
// Where a model may be written. Writing a model replaces the whole target directory, so a
// command given --out must never take a directory that is something else (a project folder
// with the training data in it) or a file: only a path that does not exist yet or a directory
// that already holds a zhsenti model.

#include <filesystem>
#include <string_view>

namespace zhsenti::modelfile {

// Whether `dir` is a directory whose config.json is a JSON object with "format_version", the
// marker every zhsenti model carries. Any version counts, and the other files are not read:
// a damaged or newer model may be replaced too.
bool is_model_dir(const std::filesystem::path& dir);

// Throws Error(kInvalidArgument) "<flag> DIR: exists and is not a model directory" (DIR as
// given) unless `dir` does not exist or is_model_dir(dir). Callers check before anything
// else, so a refused run touches nothing.
void check_model_out(const std::filesystem::path& dir, std::string_view flag = "--out");

}  // namespace zhsenti::modelfile

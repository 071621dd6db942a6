#include "zhsenti/modelfile/model_out.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <system_error>

#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/modelfile/model_dir.h"

namespace zhsenti::modelfile {
namespace fs = std::filesystem;

bool is_model_dir(const fs::path& dir) {
  std::error_code ec;
  const fs::path config = dir / kConfigFile;
  if (!fs::is_directory(dir, ec) || !fs::is_regular_file(config, ec)) return false;
  try {
    const auto j = nlohmann::json::parse(read_file(config));
    return j.is_object() && j.contains("format_version");
  } catch (const std::exception&) {  // unreadable or not JSON: not recognisably a model
    return false;
  }
}

void check_model_out(const fs::path& dir, std::string_view flag) {
  std::error_code ec;
  const bool exists = fs::exists(fs::symlink_status(dir, ec));
  if (exists && !is_model_dir(dir)) {
    throw Error(ErrorCode::kInvalidArgument,
                fmt::format("{} {}: exists and is not a model directory", flag, dir.string()));
  }
}

}  // namespace zhsenti::modelfile

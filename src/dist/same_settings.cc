#include "zhsenti/dist/same_settings.h"

#include <fmt/format.h>

#include "zhsenti/core/error.h"
#include "zhsenti/dist/comm.h"

namespace zhsenti::dist {

void check_same_settings(const nlohmann::json& settings) {
  if (!distributed()) return;
  const auto all = allgather(settings.dump());
  const auto first = nlohmann::json::parse(all[0]);
  for (std::size_t r = 1; r < all.size(); ++r) {
    if (all[r] == all[0]) continue;
    const auto theirs = nlohmann::json::parse(all[r]);
    for (const auto& [key, value] : first.items()) {
      if (!theirs.contains(key) || theirs[key] != value) {
        throw Error(ErrorCode::kInvalidArgument,
                    fmt::format("the ranks were started with different settings: '{}' is {} on "
                                "rank 0 but {} on rank {}; every rank must get the same flags",
                                key, value.dump(), theirs.value(key, nlohmann::json()).dump(), r));
      }
    }
    throw Error(ErrorCode::kInvalidArgument,
                fmt::format("the ranks were started with different settings (rank 0 and rank {})", r));
  }
}

}  // namespace zhsenti::dist

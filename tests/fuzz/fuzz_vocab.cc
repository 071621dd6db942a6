// vocab.txt parsing on arbitrary bytes: accepted or zhsenti::Error, never a crash; an accepted
// vocabulary survives to_text/parse unchanged and every token looks up to its own id.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "zhsenti/core/error.h"
#include "zhsenti/vocab/vocab.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  zhsenti::vocab::Vocab v;
  try {
    v = zhsenti::vocab::Vocab::parse(text, "fuzz");
  } catch (const zhsenti::Error&) {
    return 0;
  }
  if (!(zhsenti::vocab::Vocab::parse(v.to_text(), "again") == v)) std::abort();
  for (std::int32_t id = 0; id < static_cast<std::int32_t>(v.size()); ++id) {
    if (v.id(v.token(id)) != id) std::abort();
  }
  return 0;
}

// Decoding never reads out of bounds, and replace_invalid always yields valid UTF-8 that
// decodes to the same code points as the lenient decoder.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "zhsenti/text/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view s(reinterpret_cast<const char*>(data), size);
  const std::string fixed = zhsenti::utf8::replace_invalid(s);
  if (zhsenti::utf8::find_invalid(fixed)) std::abort();
  if (zhsenti::utf8::decode(fixed) != zhsenti::utf8::decode(s)) std::abort();
  if (zhsenti::utf8::encode(zhsenti::utf8::decode(fixed)) != fixed) std::abort();
  return 0;
}

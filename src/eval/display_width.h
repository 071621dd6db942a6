#pragma once
// Terminal column width of UTF-8 text: East Asian wide and full-width characters take two
// columns (labels such as 积极 must line up in the text report).

#include <cstddef>
#include <string>
#include <string_view>

namespace zhsenti::eval::detail {

std::size_t display_width(std::string_view s);

// Pads on the left (right-aligns) to `width` columns.
std::string pad_left(std::string_view s, std::size_t width);

}  // namespace zhsenti::eval::detail

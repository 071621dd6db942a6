#pragma once
// web/index.html, embedded into the binary at build time (cmake/embed_file.cmake), so the
// page is served without any file next to the binary.

#include <string_view>

namespace zhsenti::serve {

std::string_view web_index_html();

}  // namespace zhsenti::serve

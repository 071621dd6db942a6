#pragma once
// The standard process_* families every Prometheus client exports (resident memory, CPU
// time, start time, open descriptors), read from /proc/self, so dashboards and alerts on
// them work for zhsenti as for any other service.

#include <string>

namespace zhsenti::serve {

// Appends the families to `out`; a family whose /proc file cannot be read is left out.
void render_process_metrics(std::string& out);

}  // namespace zhsenti::serve

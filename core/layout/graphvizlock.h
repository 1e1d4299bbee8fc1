#pragma once
// The one process-wide lock for Graphviz. Graphviz 2.4x keeps layout state in process globals (dotgen's
// network simplex and mincross statics, graph_init's settings) and cgraph/cdt reorganise dictionaries
// even on lookups, so every call into cgraph or gvc, from any module, must hold this lock.
#include <mutex>

struct GVC_s;

namespace qs {

std::mutex& graphvizMutex();

// The process's Graphviz context with only the dot layout plugin loaded, so that text is measured with
// Graphviz's built-in font metrics (fast, deterministic, independent of installed fonts). Falls back
// to a full context if the plugin cannot be loaded directly. Call with graphvizMutex() held.
GVC_s* graphvizContext();

} // namespace qs

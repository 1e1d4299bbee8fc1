#pragma once
// Writing a GraphLayout as a standalone SVG (for `quantscope-cli layout --svg`) or as JSON.
#include "core/layout/graphlayout.h"

#include <string>

namespace qs {

std::string layoutToSvg(const LayoutGraph& graph, const GraphLayout& layout);

// {"width","height","segmentCount","layoutMs","nodes":[{label,x,y,width,height}],
//  "edges":[{from,to,label,points:[[x,y]...],arrowTip:[x,y],labelPos:[x,y]|null}]}, points rounded to 0.01.
std::string layoutToJson(const LayoutGraph& graph, const GraphLayout& layout);

} // namespace qs

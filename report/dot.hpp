// Writing Graphviz DOT text and turning it into SVG with Graphviz's `dot` program (found at
// run time: IOMMU_LINT_DOT, else `dot` on PATH; Debian package graphviz).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace il::report {

// A DOT double-quoted string: quotes and backslashes escaped, '&' written as an entity (Graphviz
// reads entities in labels), control characters dropped; "\n" in `s` becomes a line break
// (DOT's \n escape).
std::string dot_quote(std::string_view s);

// The `dot` executable: $IOMMU_LINT_DOT if set, else the first `dot` on $PATH.
std::optional<std::string> find_graphviz_dot();

struct SvgResult {
    bool ok = false;
    std::string svg;   // dot's output (ok)
    std::string error; // what went wrong (!ok), e.g. "Graphviz `dot` not found ..."
};
// Runs `dot -Tsvg` on the text (bounded time: 60 s).
SvgResult dot_to_svg(const std::string& dot_text);

// The SVG element alone, for inlining into HTML: drops the XML declaration, the DOCTYPE (its
// DTD URL), comments and the xmlns attributes; refuses anything active (script, foreignObject,
// event handlers, external references) by returning an empty string.
std::string svg_for_inline(std::string_view svg);

} // namespace il::report

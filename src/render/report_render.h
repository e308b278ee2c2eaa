// assay report's two renderers of a ModelReport (ops/report_ops.h;
// docs/report.md): one self-contained HTML page (styles inline, the charts
// inline SVG drawn here, no script, no font and no fetch of any kind), and
// the same content as Markdown for a model card or a pull request.
//
// Both are built from one document (headings, paragraphs, tables, charts and
// code), so they say the same thing. Every text that comes from a record is
// shown through Printable and escaped for the output's syntax: a model name
// holding <script> is text on the page.
#pragma once

#include <string>

#include "ops/report_ops.h"

namespace assay {

std::string RenderReportHtml(const ModelReport& report);
std::string RenderReportMarkdown(const ModelReport& report);

}  // namespace assay

// The example at the end of every command's --help (cli/help_examples.cc).
#pragma once

#include <CLI/CLI.hpp>

namespace assay::cli {

// Sets the footer of every command of `app` that has no subcommands.
void AddHelpExamples(CLI::App& app);

}  // namespace assay::cli

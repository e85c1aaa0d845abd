// Command line -> Config. cli.cpp and cli_options.cpp are the only files that know CLI11. Validation lives
// here too, so a bad invocation never reaches the engine: it exits 2 with one line saying what is wrong.
#pragma once
#include "config.h"

namespace trendtop {

// Returns -1 when the run should go on with `config` filled, else the exit status (0 after --help or
// --version, 2 after a usage error, already reported on stderr).
int parse_cli(int argc, char** argv, Config& config);

}  // namespace trendtop

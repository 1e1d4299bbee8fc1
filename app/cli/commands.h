#pragma once
// Every quantscope-cli subcommand registers itself through one of these (one file per command).
#include <CLI/CLI.hpp>

namespace qs::cli {

void addInfoCommand(CLI::App& app);          // infocommand.cpp
void addRunCommand(CLI::App& app);           // runcommand.cpp
void addBenchCommand(CLI::App& app);         // benchcommand.cpp
void addLayoutCommand(CLI::App& app);        // layoutcommand.cpp
void addCostCommand(CLI::App& app);          // costcommand.cpp
void addAccumulatorCommand(CLI::App& app);   // accumulatorcommand.cpp
void addErrorCommand(CLI::App& app);         // errorcommand.cpp
void addAnalyzeCommand(CLI::App& app);       // analyzecommand.cpp
void addSetCommand(CLI::App& app);           // setcommand.cpp
void addConvertCommand(CLI::App& app);       // convertcommand.cpp
void addFitAccumulatorCommand(CLI::App& app); // fitaccumulatorcommand.cpp

} // namespace qs::cli

// quantscope-cli: inspect, measure and edit quantized ONNX models from the command line.
// Every command prints a one-line error and exits with status 2 on bad input.
#include "app/cli/commands.h"
#include "app/imageio/imagedecoder.h"
#include "core/util/error.h"
#include "core/util/versions.h"

#include <CLI/CLI.hpp>
#include <iostream>

int main(int argc, char** argv)
{
    CLI::App app {"quantscope-cli: inspect, measure and edit quantized ONNX (QONNX / QCDQ) models"};
    std::string version = "quantscope-cli " + qs::quantscopeVersion() + "\nQt " + qs::imageDecoderQtVersion();
    for (const auto& [name, v] : qs::dependencyVersions())
        version += "\n" + name + " " + v;
    app.set_version_flag("--version", version);
    app.require_subcommand(1);
    qs::cli::addInfoCommand(app);
    qs::cli::addRunCommand(app);
    qs::cli::addCostCommand(app);
    qs::cli::addAccumulatorCommand(app);
    qs::cli::addErrorCommand(app);
    qs::cli::addAnalyzeCommand(app);
    qs::cli::addSetCommand(app);
    qs::cli::addConvertCommand(app);
    qs::cli::addFitAccumulatorCommand(app);
    qs::cli::addLayoutCommand(app);
    qs::cli::addBenchCommand(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 2;
    } catch (const qs::Cancelled&) {
        std::cerr << "quantscope-cli: cancelled\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "quantscope-cli: error: " << e.what() << "\n";
        return 2;
    }
    return 0;
}

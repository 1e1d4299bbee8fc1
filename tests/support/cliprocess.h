#pragma once
// Runs quantscope-cli as a user would and captures its output and exit status.
#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace qs::test {

struct CliResult {
    int exitCode = -1;
    std::string out; // stdout
    std::string err; // stderr
};

inline CliResult runCli(const std::string& arguments)
{
    const std::string errFile = "/tmp/qs-cli-stderr-" + std::to_string(::getpid());
    const std::string command = std::string(QS_CLI_PATH) + " " + arguments + " 2>" + errFile;
    CliResult result;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe)
        return result;
    std::array<char, 4096> buffer;
    std::size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        result.out.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (FILE* err = std::fopen(errFile.c_str(), "r")) {
        while ((n = std::fread(buffer.data(), 1, buffer.size(), err)) > 0)
            result.err.append(buffer.data(), n);
        std::fclose(err);
    }
    std::remove(errFile.c_str());
    return result;
}

} // namespace qs::test

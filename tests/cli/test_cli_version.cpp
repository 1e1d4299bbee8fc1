// quantscope-cli --version: Quantscope's version and, a line each, the libraries it runs on, as the
// About dialog and `quantscope --version` list them (one list in core: qs::dependencyVersions()).
#include "core/util/versions.h"
#include "support/cliprocess.h"

#include <gtest/gtest.h>
#include <regex>

using namespace qs;

TEST(CliVersion, ListsQuantscopeQtOnnxProtobufAndGraphvizWithVersionNumbers)
{
    const auto r = test::runCli("--version");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(^quantscope-cli \d+\.\d+\.\d+\n)"))) << r.out;
    for (const char* line : {R"(\nQt 6\.\d+\.\d+\n)", R"(\nONNX 1\.\d+\.\d+\S*\n)",
             R"(\nprotobuf 3\.\d+\.\d+\n)", R"(\nGraphviz \d+\.\d+\.\d+\n)"})
        EXPECT_TRUE(std::regex_search(r.out, std::regex(line))) << line << " not in\n" << r.out;
    for (const auto& [name, version] : dependencyVersions())
        EXPECT_NE(r.out.find(name + " " + version + "\n"), std::string::npos) << name << " " << version;
}

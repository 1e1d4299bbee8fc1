#include "core/util/atomicfile.h"

#include "core/util/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <string>
#include <unistd.h>

namespace qs {
namespace {

std::string errnoText() { return std::strerror(errno); }

void writeAll(int fd, std::string_view bytes, const std::string& tempName)
{
    const char* p = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw Error("cannot write " + tempName + ": " + errnoText());
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

} // namespace

void writeFileAtomically(const std::filesystem::path& target, std::string_view bytes)
{
    const std::filesystem::path folder = target.has_parent_path() ? target.parent_path() : ".";
    std::string tempName = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(tempName.data());
    if (fd < 0)
        throw Error("cannot create a temporary file in " + folder.string() + ": " + errnoText());
    try {
        writeAll(fd, bytes, tempName);
        if (::fsync(fd) != 0)
            throw Error("cannot flush " + tempName + ": " + errnoText());
        ::fchmod(fd, 0644);
        if (::close(fd) != 0)
            throw Error("cannot close " + tempName + ": " + errnoText());
    } catch (...) {
        ::close(fd);
        ::unlink(tempName.c_str());
        throw;
    }
    if (::rename(tempName.c_str(), target.c_str()) != 0) {
        const std::string why = errnoText();
        ::unlink(tempName.c_str());
        throw Error("cannot replace " + target.string() + ": " + why);
    }
    // Make the rename itself durable.
    const int dirFd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
}

} // namespace qs

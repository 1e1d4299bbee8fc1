#pragma once
// The one error type of the core. Every message is meant for the user: it names the file, node or
// tensor at fault, so that the CLI can print it as one line and the GUI can show it as it is.
#include <stdexcept>
#include <string>

namespace qs {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Thrown by long-running work when the caller asked it to stop.
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") {}
};

} // namespace qs

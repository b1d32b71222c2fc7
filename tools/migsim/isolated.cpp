#include "isolated.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <csignal>
#include <string>
#include <iostream>

#include "migsim/errors.hpp"

namespace migsim::cli {

int isolated(const std::vector<std::string>& files, const std::function<int()>& body) {
    std::cout.flush();
    std::cerr.flush();
    // The child's stderr goes through a pipe: passed on when it exits, dropped when a signal
    // ends it (a damaged heap makes glibc print its own line before the abort; the user gets
    // ours instead).
    int err[2] = {-1, -1};
    if (::pipe(err) != 0) return body();
    const pid_t child = ::fork();
    if (child < 0) {
        ::close(err[0]), ::close(err[1]);
        return body();
    }
    if (child == 0) {
        ::close(err[0]);
        ::dup2(err[1], STDERR_FILENO);
        ::close(err[1]);
        // A damaged heap can also make HDF5 loop forever: a read gets a minute, and a second
        // for every megabyte of the files (sound files read at hundreds of megabytes a second).
        std::uintmax_t bytes = 0;
        std::error_code ec;
        for (const auto& f : files)
            bytes += std::filesystem::is_regular_file(f, ec) ? std::filesystem::file_size(f, ec) : 0;
        ::alarm(static_cast<unsigned>(std::min<std::uintmax_t>(60 + bytes / 1000000, 86400)));
        const int code = body();   // body reports its own errors: nothing escapes it
        std::cout.flush();
        std::cerr.flush();
        ::_exit(code);
    }
    ::close(err[1]);
    std::string said;
    char buffer[4096];
    for (ssize_t n = 0; (n = ::read(err[0], buffer, sizeof buffer)) != 0;) {
        if (n > 0) said.append(buffer, static_cast<std::size_t>(n));
        else if (errno != EINTR) break;
    }
    ::close(err[0]);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) {
        std::cerr << said << std::flush;
        return WEXITSTATUS(status);
    }
    std::string names;
    for (std::size_t k = 0; k < files.size(); ++k)
        names += (k == 0 ? "" : k + 1 == files.size() ? " or " : ", ") + files[k];
    const int signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    if (signal == SIGALRM)
        throw OutputError(names + (files.size() > 1 ? " is" : ":") +
                          " damaged: reading it did not end in the time "
                          "it takes many times over (HDF5 can loop on a damaged file); expected files written by "
                          "migsim");
    throw OutputError(names + (files.size() > 1 ? " is" : ":") + " damaged: reading it was ended by " +
                      (signal ? "signal " + std::to_string(signal) : "an unknown cause") +
                      " (HDF5 cannot check such damage before it reads); expected files written by migsim (a run "
                      "killed in the middle of a write? h5clear -s repairs its header; otherwise run it again)");
}

}   // namespace migsim::cli

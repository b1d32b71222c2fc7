// libFuzzer target over the readers of output files: what `migsim info` (with and without
// --checksums), `compare`, the success check after a run and `run --resume` read. The input is
// an HDF5 file (the corpus: real outputs, fuzz/make_output_corpus.sh). An OutputError or a
// ScenarioError is the expected answer to a damaged file; anything else is a bug.
//
// HDF5 1.10 itself crashes or loops on some damaged files (H5HG_read on a damaged global heap:
// it copies a variable-length string past its buffer, or walks the heap forever); the CLI reads
// in a child process for that (tools/migsim/isolated.hpp). Here too every input is read in a
// child, for at most 10 s: a death or a hang whose first frame is in HDF5 is HDF5's (the CLI
// answers it with "damaged"); any other is a finding, reported with the child's stack. The
// child hands its coverage counters back through a pipe, so that libFuzzer is guided by what
// the child ran.
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <hdf5.h>
#include <sanitizer/common_interface_defs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "io/hdf5_util.hpp"
#include "migsim/compare.hpp"
#include "migsim/errors.hpp"
#include "migsim/output.hpp"

namespace {

const std::string& input_path() {
    static const std::string path =
        (std::filesystem::temp_directory_path() / ("migsim-fuzz-output-" + std::to_string(::getpid()) + ".h5"))
            .string();
    return path;
}

// Every reader the CLI puts before a user, on the file at `path`.
void read_all(const std::string& path) {
    auto expected = [](auto&& read) {
        try {
            read();
        } catch (const migsim::OutputError&) {
        } catch (const migsim::ScenarioError&) {
        }
    };
    expected([&] { migsim::verify_output(path); });
    expected([&] { (void)migsim::describe_output(path); });
    expected([&] { (void)migsim::read_resume_point(path); });
    for (const auto by : {migsim::CompareBy::total, migsim::CompareBy::border, migsim::CompareBy::route,
                          migsim::CompareBy::destination, migsim::CompareBy::place})
        expected([&] { (void)migsim::compare_runs(path, path, {by, "", ""}); });
}

// The first frame of a sanitizer report, or of the stack printed when the child ran out of
// time, that is not the sanitizer's, libc's or this file's own.
std::string first_frame(const std::string& report) {
    std::istringstream lines(report);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("    #", 0) != 0) continue;
        bool tooling = false;
        for (const char* own : {"__interceptor_", "__asan", "__sanitizer", " in malloc", " in free", "libc.so",
                                "fuzz_output.cpp", "fuzzer::"})
            tooling = tooling || line.find(own) != std::string::npos;
        if (!tooling) return line;
    }
    return "";
}

// The coverage counters of this binary (-fsanitize=fuzzer: inline 8-bit counters, the section
// __sancov_cntrs), found in its own ELF section headers. (Naming the linker's __start_ and
// __stop_ symbols of the section in code would keep libFuzzer from registering it.)
std::span<std::uint8_t> coverage_counters() {
    static const std::span<std::uint8_t> counters = [] {
        std::ifstream exe("/proc/self/exe", std::ios::binary);
        const std::string image((std::istreambuf_iterator<char>(exe)), std::istreambuf_iterator<char>());
        if (image.size() < sizeof(Elf64_Ehdr)) std::abort();
        Elf64_Ehdr header;
        std::memcpy(&header, image.data(), sizeof header);
        auto section = [&](std::size_t k) {
            Elf64_Shdr s;
            std::memcpy(&s, image.data() + header.e_shoff + k * header.e_shentsize, sizeof s);
            return s;
        };
        const Elf64_Shdr names = section(header.e_shstrndx);
        ElfW(Addr) base = 0;   // where the executable was loaded (position independent)
        dl_iterate_phdr(
            [](dl_phdr_info* info, std::size_t, void* out) {
                *static_cast<ElfW(Addr)*>(out) = info->dlpi_addr;
                return 1;   // the first object is the executable
            },
            &base);
        for (std::size_t k = 0; k < header.e_shnum; ++k) {
            const Elf64_Shdr s = section(k);
            if (std::strcmp(image.data() + names.sh_offset + s.sh_name, "__sancov_cntrs") == 0)
                return std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(base + s.sh_addr), s.sh_size);
        }
        std::abort();
    }();
    return counters;
}

// Reads `path` in a child, for at most 10 s, and adds the child's coverage to this process's.
// A death or a hang inside HDF5 is skipped; anywhere else it aborts this process with the
// child's report (a finding).
void read_in_a_child(const std::string& path) {
    const std::string reports = input_path() + ".report";
    int pipe_ends[2];
    if (::pipe(pipe_ends) != 0) std::abort();
    const std::span<std::uint8_t> coverage = coverage_counters();
    const std::size_t counters = coverage.size();
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(pipe_ends[0]);
        const int out = ::open(reports.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(out, STDERR_FILENO);   // the sanitizer's report, or the stack where time ran out
        __sanitizer_set_death_callback([] { ::_exit(86); });
        std::signal(SIGALRM, [](int) {
            __sanitizer_print_stack_trace();
            ::_exit(87);
        });
        ::alarm(10);
        std::fill(coverage.begin(), coverage.end(), 0);
        read_all(path);
        for (std::size_t done = 0; done < counters;) {
            const ssize_t n = ::write(pipe_ends[1], coverage.data() + done, counters - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) ::_exit(88);
            done += static_cast<std::size_t>(n);
        }
        ::_exit(0);
    }
    ::close(pipe_ends[1]);
    std::vector<std::uint8_t> seen(counters, 0);
    std::size_t got = 0;   // (libFuzzer's timer interrupts calls every second: EINTR is retried)
    while (got < counters) {
        const ssize_t n = ::read(pipe_ends[0], seen.data() + got, counters - got);
        if (n > 0) got += static_cast<std::size_t>(n);
        else if (n == 0 || errno != EINTR) break;
    }
    ::close(pipe_ends[0]);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    std::ifstream in(reports);
    const std::string report((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::filesystem::remove(reports);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && got == counters) {
        for (std::size_t k = 0; k < counters; ++k)
            coverage[k] = static_cast<std::uint8_t>(std::min(255, coverage[k] + seen[k]));
        return;
    }
    if (first_frame(report).find("libhdf5") != std::string::npos) return;
    std::fprintf(stderr, "the reader died in a child (status %d):\n%s\n", status, report.c_str());
    std::abort();
}

}   // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = input_path();
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    migsim::detail::silence_hdf5_errors();
    read_in_a_child(path);
    return 0;
}

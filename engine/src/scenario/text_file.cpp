// Scenario files are UTF-8 (ids are ASCII; names and comments may use any script). A file
// saved in another encoding would otherwise fail later with a puzzling message (a UTF-16 header
// reads as an unknown column full of NUL bytes) or, worse, pass and write mojibake into the
// output's names, so the encoding is checked once, when the file is read. A UTF-8 byte-order
// mark carries no information and is skipped.
#include "scenario/text_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "migsim/errors.hpp"

namespace migsim::detail {

namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

std::string hex_byte(unsigned char byte) {
    char text[8];
    std::snprintf(text, sizeof text, "0x%02X", byte);
    return text;
}

// Length of the valid UTF-8 sequence at `at`, or 0 (overlong forms, surrogates and code points
// above U+10FFFF are invalid, as in RFC 3629).
std::size_t utf8_length(std::string_view s, std::size_t at) {
    auto byte = [&](std::size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0u; };
    const unsigned c = byte(at);
    auto tail = [&](std::size_t i) { return (byte(i) & 0xC0u) == 0x80u; };
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return tail(at + 1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        const unsigned c1 = byte(at + 1);
        if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F)) return 0;
        return tail(at + 1) && tail(at + 2) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        const unsigned c1 = byte(at + 1);
        if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)) return 0;
        return tail(at + 1) && tail(at + 2) && tail(at + 3) ? 4 : 0;
    }
    return 0;
}

void check_utf8(const std::string& path, std::string_view bytes) {
    const bool utf16 =
        bytes.size() >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') || (bytes[0] == '\xFE' && bytes[1] == '\xFF'));
    if (utf16)
        throw ScenarioError(path + ":1: encoding: got a UTF-16 byte-order mark, expected UTF-8 text "
                                   "(save the file as UTF-8)");
    std::string_view text = without_bom(bytes);
    long line = 1, column = 1;   // column in bytes, 1-based
    for (std::size_t at = 0; at < text.size();) {
        const auto c = static_cast<unsigned char>(text[at]);
        const std::size_t n = utf8_length(text, at);
        if (c == 0 || n == 0) {
            std::string where = path + ":" + std::to_string(line) + ":" + std::to_string(column);
            if (c == 0)
                throw ScenarioError(where + ": encoding: got a NUL byte, expected UTF-8 text (is the file "
                                            "UTF-16, or not text at all? save it as UTF-8)");
            throw ScenarioError(where + ": encoding: got the byte " + hex_byte(c) +
                                ", expected UTF-8 text (the file may be Latin-1 or Windows-1252: save it "
                                "as UTF-8)");
        }
        if (c == '\n') {
            ++line;
            column = 1;
        } else {
            column += static_cast<long>(n);
        }
        at += n;
    }
}

const char* kind_of(std::filesystem::file_type type) {
    using std::filesystem::file_type;
    switch (type) {
        case file_type::character: return "a character device";
        case file_type::block: return "a block device (a disk)";
        case file_type::fifo: return "a FIFO (a named pipe)";
        case file_type::socket: return "a socket";
        default: return "not a regular file";
    }
}

std::string gigabytes(std::uintmax_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f GB", static_cast<double>(bytes) / 1e9);
    return text;
}

// `exact`: `bytes` is the file's size, not how far it was read.
ScenarioError too_large(const std::string& path, std::uintmax_t bytes, bool exact) {
    return ScenarioError(path + ": the file holds " + (exact ? "" : "more than ") + gigabytes(bytes) +
                         "; expected at most " + gigabytes(max_input_bytes) + " (" + std::to_string(max_input_bytes) +
                         " bytes) in one input file (is it the right file?)");
}

}   // namespace

bool is_utf8(std::string_view text) {
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t n = utf8_length(text, at);
        if (n == 0) return false;
        at += n;
    }
    return true;
}

std::string_view without_bom(std::string_view bytes) {
    return bytes.substr(0, utf8_bom.size()) == utf8_bom ? bytes.substr(utf8_bom.size()) : bytes;
}

std::string read_text_file(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto status = fs::status(path, ec);   // of the file a symbolic link points to
    if (!fs::exists(status))
        throw ScenarioError(path + ": cannot open the file: it does not exist; expected an existing file "
                                   "(check the path; paths in a .yml are relative to that file)");
    if (fs::is_directory(status)) throw ScenarioError(path + ": cannot read the file: it is a folder; expected a file");
    // A device never ends (/dev/zero grew the loader to 15 GB) and a FIFO or socket waits for a
    // writer that may never come: only a regular file is opened at all.
    if (!fs::is_regular_file(status))
        throw ScenarioError(path + ": cannot read the file: it is " + kind_of(status.type()) +
                            ", not a file on disk; expected a regular file (check the path)");
    const std::uintmax_t size = fs::file_size(path, ec);
    if (!ec && size > max_input_bytes) throw too_large(path, size, true);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw ScenarioError(path + ": cannot open the file: " + std::strerror(errno) +
                            "; expected a file migsim may read (check its permissions)");
    // Read up to one byte past the bound: the size above may be stale (a file still being
    // written) or wrong (files under /proc say 0).
    std::string bytes;
    char block[1 << 16];
    while (in.read(block, sizeof block) || in.gcount() > 0) {
        bytes.append(block, static_cast<std::size_t>(in.gcount()));
        if (bytes.size() > max_input_bytes) throw too_large(path, max_input_bytes, false);
    }
    if (in.bad())
        throw ScenarioError(path + ": cannot read the file: " + std::strerror(errno) + "; expected a readable file");
    check_utf8(path, bytes);
    return bytes;
}

}   // namespace migsim::detail

// Values as bytes and back, for a day's totals sent between ranks and for checkpoints. The
// bytes are the values' own (same machine type on every rank and for a resumed run); a
// reader checks every length, so a cut or foreign message is an error, never garbage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace migsim::detail {

class ByteWriter {
public:
    explicit ByteWriter(std::vector<std::byte>& out) : out_(out) {}
    template <class T>
    requires std::is_trivially_copyable_v<T>
    void put(const T& value) { raw(&value, sizeof value); }
    template <class T>
    void put(const std::vector<std::vector<T>>& lists) {
        put(static_cast<std::uint64_t>(lists.size()));
        for (const auto& list : lists) put(list);
    }
    template <class T>
    void put(const std::vector<T>& values) {
        put(static_cast<std::uint64_t>(values.size()));
        if constexpr (std::is_same_v<T, bool>) {
            for (bool b : values) put(static_cast<std::uint8_t>(b));
        } else {
            raw(values.data(), values.size() * sizeof(T));
        }
    }

private:
    void raw(const void* data, std::size_t bytes) {
        const auto* p = static_cast<const std::byte*>(data);
        out_.insert(out_.end(), p, p + bytes);
    }
    std::vector<std::byte>& out_;
};

class ByteReader {
public:
    ByteReader(std::span<const std::byte> in, std::string what) : in_(in), what_(std::move(what)) {}
    template <class T>
    requires std::is_trivially_copyable_v<T>
    void take(T& value) { raw(&value, sizeof value); }
    template <class T>
    void take(std::vector<std::vector<T>>& lists) {
        std::uint64_t n = 0;
        take(n);
        if (n > in_.size()) throw std::runtime_error(what_ + " does not fit (" + std::to_string(n) + " lists)");
        lists.resize(n);
        for (auto& list : lists) take(list);
    }
    // A vector of any length, or (`expected` given) of exactly that length.
    template <class T>
    void take(std::vector<T>& values, std::int64_t expected = -1) {
        std::uint64_t n = 0;
        take(n);
        if ((expected >= 0 && n != static_cast<std::uint64_t>(expected)) || n > in_.size())
            throw std::runtime_error(what_ + " does not fit (a list of " + std::to_string(n) + " where " +
                                     (expected >= 0 ? std::to_string(expected) : "fewer") + " were expected)");
        values.resize(n);
        if constexpr (std::is_same_v<T, bool>) {
            for (std::uint64_t k = 0; k < n; ++k) {
                std::uint8_t b = 0;
                take(b);
                values[k] = b != 0;
            }
        } else {
            raw(values.data(), n * sizeof(T));
        }
    }
    [[nodiscard]] std::span<const std::byte> rest() const { return in_; }

private:
    void raw(void* data, std::size_t bytes) {
        if (bytes > in_.size()) throw std::runtime_error(what_ + " is cut short");
        if (bytes > 0) std::memcpy(data, in_.data(), bytes);
        in_ = in_.subspan(bytes);
    }
    std::span<const std::byte> in_;
    std::string what_;
};

}   // namespace migsim::detail

// Small RAII and helper layer over the HDF5 C API, shared by the writer and the reader.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace migsim::detail {

// Owns one HDF5 identifier and closes it with the matching H5?close.
class Handle {
public:
    Handle() = default;
    Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
    Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, -1)), close_(o.close_) {}
    Handle& operator=(Handle&& o) noexcept {
        if (this != &o) {
            reset();
            id_ = std::exchange(o.id_, -1);
            close_ = o.close_;
        }
        return *this;
    }
    ~Handle() { reset(); }
    operator hid_t() const { return id_; }   // NOLINT: used as the C API's hid_t
    [[nodiscard]] hid_t get() const { return id_; }

private:
    void reset() {
        if (id_ >= 0 && close_) close_(id_);
        id_ = -1;
    }
    hid_t id_ = -1;
    herr_t (*close_)(hid_t) = nullptr;
};

// Throws OutputError naming `what` when an HDF5 call failed.
void check(herr_t status, const std::string& what);
void check(const Handle& handle, const std::string& what);

// HDF5 prints its error stack to stderr by default; the library reports errors itself.
void silence_hdf5_errors();

Handle write_strings(hid_t file, const std::string& name, const std::vector<std::string>& values);
Handle write_doubles(hid_t file, const std::string& name, const std::vector<double>& values);

// Creates or overwrites a scalar attribute.
void write_attribute(hid_t object, const std::string& name, const std::string& value);
void write_attribute(hid_t object, const std::string& name, std::int64_t value);
void write_attribute(hid_t object, const std::string& name, double value);

}  // namespace migsim::detail

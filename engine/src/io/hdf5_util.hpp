// Small RAII and helper layer over the HDF5 C API, shared by the writer and the reader.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <functional>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "migsim/errors.hpp"

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
    // Closes now, with the status the close returned (a file's close writes its metadata).
    herr_t close() {
        const herr_t status = id_ >= 0 && close_ ? close_(id_) : 0;
        id_ = -1;
        return status;
    }
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
// A dimension scale `name` holding 0, 1, ..., n-1 (int32): the coordinate of an index dimension.
Handle write_index_dimension(hid_t file, const std::string& name, hsize_t n);

// Why HDF5 cannot open `path` when another process holds HDF5's lock on it (HDF5 refuses
// without saying why): for writing, any holder; for reading, a writer. "" when none does.
enum class Access { read, write };
[[nodiscard]] std::string held_by_another_program(const std::string& path, Access access);
inline std::string or_else(const std::string& reason, const std::string& otherwise) {
    return reason.empty() ? otherwise : reason;
}

// Reading (for info, checksums and compare). Each throws OutputError naming what is missing.
Handle open_file(const std::string& path);   // read-only; refuses what is not HDF5
std::vector<std::string> dataset_names(hid_t file);
[[nodiscard]] std::string file_name(hid_t object);          // the path of the file `object` is in
Handle open_dataset(hid_t file, const std::string& name);   // throws OutputError naming file and dataset
std::vector<hsize_t> shape_of(hid_t dataset);
// The number of values in `dataset` of `element_bytes` each; throws OutputError when the file
// is too small to hold them (a damaged shape), before anything is allocated.
std::size_t element_count(hid_t dataset, std::size_t element_bytes, const std::string& name);
std::vector<std::string> read_strings(hid_t file, const std::string& name);
// Any numeric dataset, converted to T (`type` its HDF5 memory type), with its shape.
template <class T>
std::vector<T> read_numbers(hid_t file, const std::string& name, hid_t type, std::vector<hsize_t>& shape);
inline std::vector<double> read_doubles(hid_t file, const std::string& name, std::vector<hsize_t>& shape) {
    return read_numbers<double>(file, name, H5T_NATIVE_DOUBLE, shape);
}
double number_attribute(hid_t object, const char* name);   // 0 when absent

// A scalar string attribute, or "" when there is none.
[[nodiscard]] std::string read_string_attribute(hid_t object, const char* name);

// Creates or overwrites a scalar attribute.
void write_attribute(hid_t object, const std::string& name, const std::string& value);
void write_attribute(hid_t object, const std::string& name, std::int64_t value);
void write_attribute(hid_t object, const std::string& name, double value);

template <class T>
std::vector<T> read_numbers(hid_t file, const std::string& name, hid_t type, std::vector<hsize_t>& shape) {
    Handle ds = open_dataset(file, name);
    shape = shape_of(ds);
    const std::size_t n = element_count(ds, sizeof(T), name);
    std::vector<T> out(n);
    if (n > 0 && H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
        throw OutputError(file_name(file) + ": cannot read dataset '" + name + "' (a damaged file?)");
    return out;
}

}   // namespace migsim::detail

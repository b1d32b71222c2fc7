#include "io/hdf5_util.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "migsim/errors.hpp"
#include "scenario/text_file.hpp"

namespace migsim::detail {

void check(herr_t status, const std::string& what) {
    if (status < 0) throw OutputError("HDF5: " + what + " failed");
}

void check(const Handle& handle, const std::string& what) {
    if (handle.get() < 0) throw OutputError("HDF5: " + what + " failed");
}

void silence_hdf5_errors() {
    // No clean-up of HDF5 at exit: a file whose close failed (a full disk) stays open, and
    // HDF5's exit handler crashed closing it again. The operating system releases it anyway.
    static const bool once = [] {
        H5dont_atexit();
        return true;
    }();
    (void)once;
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

std::string held_by_another_program(const std::string& path, Access access) {
    // HDF5 (1.10) takes flock(LOCK_EX) on a file it writes and LOCK_SH on one it reads: a lock
    // that we cannot take means another process holds the file.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return "";
    const bool held = ::flock(fd, (access == Access::write ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);
    if (!held) return "";
    return access == Access::write ? "another program has it open (a migsim still running, or a notebook or h5py "
                                     "reading it; close it there first)"
                                   : "another program is writing it (a migsim still running; wait for it to end)";
}

Handle open_file(const std::string& path) {
    silence_hdf5_errors();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw OutputError(path + ": does not exist; expected a migsim output file");
    if (!std::filesystem::is_regular_file(path, ec))
        throw OutputError(path + ": is not a regular file; expected a migsim output file");
    if (H5Fis_hdf5(path.c_str()) <= 0)
        throw OutputError(path + ": " +
                          or_else(held_by_another_program(path, Access::read), "not an HDF5 file, or a damaged one; "
                                                                               "expected a migsim output"));
    Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (file.get() < 0)
        throw OutputError(path + ": cannot open the HDF5 file: " +
                          or_else(held_by_another_program(path, Access::read), "damaged (a run killed in the middle of "
                                                                               "a write? h5clear -s repairs its "
                                                                               "header)"));
    return file;
}

std::vector<std::string> dataset_names(hid_t file) {
    std::vector<std::string> names;
    H5Literate(
        file, H5_INDEX_NAME, H5_ITER_INC, nullptr,
        [](hid_t group, const char* name, const H5L_info_t*, void* out) -> herr_t {
            H5O_info_t info;
            if (H5Oget_info_by_name(group, name, &info, H5P_DEFAULT) >= 0 && info.type == H5O_TYPE_DATASET)
                static_cast<std::vector<std::string>*>(out)->emplace_back(name);
            return 0;
        },
        &names);
    for (const auto& name : names)
        if (!is_utf8(name))
            throw OutputError(file_name(file) + ": holds a dataset whose name is not UTF-8 (a damaged file?)");
    return names;
}

std::string file_name(hid_t object) {
    const ssize_t n = H5Fget_name(object, nullptr, 0);
    if (n <= 0) return "(a file)";
    std::string name(static_cast<std::size_t>(n) + 1, '\0');
    H5Fget_name(object, name.data(), name.size());
    name.resize(static_cast<std::size_t>(n));
    return name;
}

Handle open_dataset(hid_t file, const std::string& name) {
    Handle ds(H5Lexists(file, name.c_str(), H5P_DEFAULT) > 0 ? H5Dopen2(file, name.c_str(), H5P_DEFAULT) : -1,
              H5Dclose);
    if (ds.get() < 0) throw OutputError(file_name(file) + ": has no dataset '" + name + "' (expected a migsim output)");
    return ds;
}

std::vector<hsize_t> shape_of(hid_t ds) {
    Handle space(H5Dget_space(ds), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space);
    if (rank < 0 || rank > 8)
        throw OutputError(file_name(ds) + ": a dataset of " + std::to_string(rank) + " dimensions (a damaged file?)");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    return dims;
}

std::size_t element_count(hid_t ds, std::size_t element_bytes, const std::string& name) {
    // What a file of its size can hold: deflate packs at most about 1,032 to 1, so a dataset
    // that claims more is damaged; refused before anything is allocated for it.
    hsize_t file_bytes = 0;
    const Handle file(H5Iget_file_id(ds), H5Fclose);
    H5Fget_filesize(file, &file_bytes);
    const long double most = (static_cast<long double>(file_bytes) + (1 << 20)) * 1100;
    long double bytes = static_cast<long double>(element_bytes);
    std::size_t count = 1;
    for (hsize_t n : shape_of(ds)) {
        bytes *= static_cast<long double>(n);
        count *= static_cast<std::size_t>(n);
        if (bytes > most)
            throw OutputError(file_name(ds) + ": dataset '" + name + "' claims more values than a file of " +
                              std::to_string(file_bytes) + " bytes can hold (a damaged file?)");
    }
    return count;
}

double number_attribute(hid_t object, const char* name) {
    if (H5Aexists(object, name) <= 0) return 0;
    Handle attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
    double value = 0;
    H5Aread(attr, H5T_NATIVE_DOUBLE, &value);
    return value;
}

namespace {
Handle string_type() {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    return type;
}
}   // namespace

std::vector<std::string> read_strings(hid_t file, const std::string& name) {
    Handle ds = open_dataset(file, name);
    if (shape_of(ds).size() != 1)
        throw OutputError(file_name(file) + ": dataset '" + name + "' is not a list of names (a damaged file?)");
    const auto n = element_count(ds, 16, name);   // a variable-length string takes 16 bytes in the file
    std::vector<std::string> out;
    if (n == 0) return out;
    std::vector<char*> raw(n, nullptr);
    Handle type = string_type();
    if (H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0)
        throw OutputError(file_name(file) + ": cannot read dataset '" + name + "' (a damaged file?)");
    for (char* s : raw) out.emplace_back(s ? s : "");
    Handle space(H5Dget_space(ds), H5Sclose);
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, raw.data());
    for (const auto& text : out)
        if (!is_utf8(text))
            throw OutputError(file_name(file) + ": dataset '" + name +
                              "' holds a name that is not UTF-8 (a damaged file?)");
    return out;
}

Handle write_strings(hid_t file, const std::string& name, const std::vector<std::string>& values) {
    hsize_t n[1] = {values.size()};
    Handle space(H5Screate_simple(1, n, nullptr), H5Sclose);
    Handle type = string_type();
    Handle ds(H5Dcreate2(file, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
    check(ds, "create " + name);
    std::vector<const char*> pointers;
    for (const auto& v : values) pointers.push_back(v.c_str());
    if (!values.empty()) check(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), "write " + name);
    return ds;
}

Handle write_doubles(hid_t file, const std::string& name, const std::vector<double>& values) {
    hsize_t n[1] = {values.size()};
    Handle space(H5Screate_simple(1, n, nullptr), H5Sclose);
    Handle ds(H5Dcreate2(file, name.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
              H5Dclose);
    check(ds, "create " + name);
    if (!values.empty())
        check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write " + name);
    return ds;
}

Handle write_index_dimension(hid_t file, const std::string& name, hsize_t n) {
    std::vector<std::int32_t> index(n);
    for (hsize_t k = 0; k < n; ++k) index[k] = static_cast<std::int32_t>(k);
    Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose);
    Handle ds(H5Dcreate2(file, name.c_str(), H5T_NATIVE_INT32, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
    check(ds, "create " + name);
    if (n > 0) check(H5Dwrite(ds, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, index.data()), "write " + name);
    check(H5DSset_scale(ds, name.c_str()), "scale " + name);
    return ds;
}

namespace {
void write_scalar_attribute(hid_t object, const std::string& name, hid_t type, const void* value) {
    if (H5Aexists(object, name.c_str()) > 0) {   // overwrite in place (days_completed, each day)
        Handle attr(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose);
        check(H5Awrite(attr, type, value), "write attribute " + name);
        return;
    }
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle attr(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    check(attr, "create attribute " + name);
    check(H5Awrite(attr, type, value), "write attribute " + name);
}
}   // namespace

std::string read_string_attribute(hid_t object, const char* name) {
    if (H5Aexists(object, name) <= 0) return {};
    Handle attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
    Handle type = string_type();
    char* text = nullptr;
    if (H5Aread(attr, type, &text) < 0) return {};
    std::string out = text ? text : "";
    H5free_memory(text);
    if (!is_utf8(out))
        throw OutputError(file_name(object) + ": attribute '" + name + "' is not UTF-8 text (a damaged file?)");
    return out;
}

void write_attribute(hid_t object, const std::string& name, const std::string& value) {
    Handle type = string_type();
    const char* text = value.c_str();
    write_scalar_attribute(object, name, type, &text);
}

void write_attribute(hid_t object, const std::string& name, std::int64_t value) {
    write_scalar_attribute(object, name, H5T_NATIVE_INT64, &value);
}

void write_attribute(hid_t object, const std::string& name, double value) {
    write_scalar_attribute(object, name, H5T_NATIVE_DOUBLE, &value);
}

}   // namespace migsim::detail

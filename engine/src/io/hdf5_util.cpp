#include "io/hdf5_util.hpp"

#include <hdf5.h>

#include "migsim/errors.hpp"

namespace migsim::detail {

void check(herr_t status, const std::string& what) {
    if (status < 0) throw OutputError("HDF5: " + what + " failed");
}

void check(const Handle& handle, const std::string& what) {
    if (handle.get() < 0) throw OutputError("HDF5: " + what + " failed");
}

void silence_hdf5_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

namespace {
Handle string_type() {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    return type;
}
}  // namespace

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
    Handle ds(H5Dcreate2(file, name.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
    check(ds, "create " + name);
    if (!values.empty()) check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write " + name);
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
}  // namespace

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

}  // namespace migsim::detail

// Linked into migsim_tests in the `tsan` preset only. ThreadSanitizer sees the synchronisation
// of instrumented code and of pthreads, but Debian's libtbb is not instrumented: without help,
// every hand-over of a task between TBB's threads looks like a data race (dozens of reports in
// TBB's own headers and in the bodies of our parallel_for loops, all false).
//
// oneTBB's headers announce their hand-overs to profiling tools when TBB_USE_PROFILING_TOOLS=2
// (set by the preset): r1::call_itt_notify(releasing, task) before a spawn, (acquired,
// wait_context) after a wait, releasing/acquired around the joins of a parallel_for's tree.
// This file defines that entry point (the executable's definition wins over libtbb's) and
// forwards it to TSan's annotations, and wraps four more libtbb entry points where the
// hand-over happens inside the library:
//   - execution_slot(), which a stolen parallel_for task calls when it starts: acquire
//     everything released by spawns (one sync object for all spawns: an over-approximation
//     that can hide a race between two tasks, never invent one);
//   - allocate()/deallocate() of TBB's small-object pool: a task's memory reused by another
//     thread is handed over.
// A task taken from a pool by another thread is announced by libtbb itself, to a profiling
// library: tsan_tbb_itt.c, loaded through the preset's environment, acquires the same object.
// Tested both ways on a probe: a correct parallel_for gives no report, a racy one is reported.
// Only TBB's hand-overs are annotated: a race in our own code is still a race.
#include <dlfcn.h>

#include <cstddef>
#include <cstdint>

extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);

namespace tbb::detail {
namespace d1 {
struct execution_data;
class small_object_pool;
}   // namespace d1
namespace r1 {

namespace {

// The one sync object of all spawns; the same address in tsan_tbb_itt.c.
void* const every_spawn = reinterpret_cast<void*>(&__tsan_release);
constexpr int notify_acquired = 2, notify_releasing = 3;   // d1::notify_type

template <class F>
F next_definition(const char* mangled) {
    return reinterpret_cast<F>(dlsym(RTLD_NEXT, mangled));
}

}   // namespace

void call_itt_notify(int type, void* ptr) {
    if (type == notify_releasing) {
        __tsan_release(ptr);
        __tsan_release(every_spawn);
    } else if (type == notify_acquired) {
        __tsan_acquire(ptr);
        // A wait_context's reference count (the atomic the workers decrement) follows its
        // 8-byte version word (oneapi/tbb/detail/_task.h, oneTBB 2021).
        __tsan_acquire(static_cast<char*>(ptr) + sizeof(std::uint64_t));
    }
}

unsigned short execution_slot(const d1::execution_data* ed) {
    using Fn = unsigned short (*)(const d1::execution_data*);
    static const Fn real = next_definition<Fn>("_ZN3tbb6detail2r114execution_slotEPKNS0_2d114execution_dataE");
    __tsan_acquire(every_spawn);
    return real(ed);
}

void* allocate(d1::small_object_pool*& pool, std::size_t bytes, const d1::execution_data& ed) {
    using Fn = void* (*)(d1::small_object_pool*&, std::size_t, const d1::execution_data&);
    static const Fn real = next_definition<Fn>("_ZN3tbb6detail2r18allocateERPNS0_2d117small_object_poolEmRKNS2_"
                                               "14execution_dataE");
    void* p = real(pool, bytes, ed);
    __tsan_acquire(p);
    return p;
}

void* allocate(d1::small_object_pool*& pool, std::size_t bytes) {
    using Fn = void* (*)(d1::small_object_pool*&, std::size_t);
    static const Fn real = next_definition<Fn>("_ZN3tbb6detail2r18allocateERPNS0_2d117small_object_poolEm");
    void* p = real(pool, bytes);
    __tsan_acquire(p);
    return p;
}

void deallocate(d1::small_object_pool& pool, void* p, std::size_t bytes, const d1::execution_data& ed) {
    using Fn = void (*)(d1::small_object_pool&, void*, std::size_t, const d1::execution_data&);
    static const Fn real = next_definition<Fn>("_ZN3tbb6detail2r110deallocateERNS0_2d117small_object_poolEPvmRKNS2_"
                                               "14execution_dataE");
    __tsan_release(p);
    real(pool, p, bytes, ed);
}

void deallocate(d1::small_object_pool& pool, void* p, std::size_t bytes) {
    using Fn = void (*)(d1::small_object_pool&, void*, std::size_t);
    static const Fn real = next_definition<Fn>("_ZN3tbb6detail2r110deallocateERNS0_2d117small_object_poolEPvm");
    __tsan_release(p);
    real(pool, p, bytes);
}

}   // namespace r1
}   // namespace tbb::detail

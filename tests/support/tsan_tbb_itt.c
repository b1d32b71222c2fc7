/* A profiling-tool library for TBB, loaded by libtbb in the `tsan` test preset
 * (INTEL_LIBITTNOTIFY64 names it, KMP_FOR_TCHECK=1 turns TBB's notifications on): libtbb tells
 * it where it synchronises internally (a thread taking a task from a pool or an arena slot,
 * handing one over), and it passes that on to ThreadSanitizer. Every acquisition also acquires
 * the sync object that tests/support/tsan_tbb.cpp releases at each spawn: a task taken by a
 * thread is seen to come after the spawns before it. See tests/support/tsan_tbb.cpp. */
void __tsan_acquire(void* addr);
void __tsan_release(void* addr);

/* One address both files know: all spawns release it, every acquisition in TBB acquires it. */
#define EVERY_SPAWN ((void*)&__tsan_release)

const char* __itt_api_version(void) { return "migsim-tsan"; }
void __itt_sync_acquired(void* addr) {
    __tsan_acquire(addr);
    __tsan_acquire(EVERY_SPAWN);
}
void __itt_sync_releasing(void* addr) {
    __tsan_release(addr);
    __tsan_release(EVERY_SPAWN);
}

"""Collapses the large read-write mappings of process PID into transparent huge pages
(process_madvise with MADV_COLLAPSE; Linux >= 6.1, run as root). Used by wasm-read-pages.mjs."""
import ctypes
import sys

SYS_PIDFD_OPEN, SYS_PROCESS_MADVISE, MADV_COLLAPSE = 434, 440, 25  # x86-64
HUGE = 2 << 20
CHUNK = 64 << 20


class IoVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


def main(pid):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    pidfd = libc.syscall(SYS_PIDFD_OPEN, pid, 0)
    if pidfd < 0:
        raise OSError(ctypes.get_errno(), "pidfd_open")
    done = 0
    with open(f"/proc/{pid}/maps") as maps:
        for line in maps:
            fields = line.split()
            lo, hi = (int(v, 16) for v in fields[0].split("-"))
            if hi - lo < 100 << 20 or not fields[1].startswith("rw"):
                continue
            a, end = (lo + HUGE - 1) & ~(HUGE - 1), hi & ~(HUGE - 1)
            while a < end:
                v = IoVec(a, min(CHUNK, end - a))
                r = libc.syscall(SYS_PROCESS_MADVISE, pidfd, ctypes.byref(v), 1, MADV_COLLAPSE, 0)
                if r < 0:  # the rest of a reservation that was never touched
                    break
                done += r
                a += v.len
    with open(f"/proc/{pid}/smaps_rollup") as f:
        huge = next(l.split()[1] for l in f if l.startswith("AnonHugePages"))
    print(f"collapsed {done >> 20} MiB into huge pages (AnonHugePages {int(huge) >> 10} MiB)")


if __name__ == "__main__":
    main(int(sys.argv[1]))

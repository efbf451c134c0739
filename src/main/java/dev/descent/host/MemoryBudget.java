package dev.descent.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much memory this process may still allocate: the smaller of what the kernel calls available
 * ({@code MemAvailable}) and what the container's cgroup limit leaves (limit − usage, cgroup v2 or v1).
 * Large allocations are checked against it before they are made, so that a run is refused with figures
 * instead of being killed.
 */
public final class MemoryBudget {
    private MemoryBudget() {
    }

    /** Bytes that may still be allocated; {@link Long#MAX_VALUE} where none of the sources can be read. */
    public static long availableBytes() {
        long free = meminfo("MemAvailable:");
        long cgroup = cgroupHeadroom();
        long best = Math.min(free < 0 ? Long.MAX_VALUE : free, cgroup < 0 ? Long.MAX_VALUE : cgroup);
        return best;
    }

    /** The memory this process may use in all: physical memory, or the cgroup's limit when that is lower. */
    public static long totalBytes() {
        long physical = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize();
        long limit = cgroupLimit();
        return limit > 0 ? Math.min(physical, limit) : physical;
    }

    private static long cgroupLimit() {
        for (Path f : new Path[] {Path.of("/sys/fs/cgroup/memory.max"), Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes")}) {
            try {
                String v = Files.readString(f).trim();
                if (!v.equals("max")) {
                    long l = Long.parseLong(v);
                    if (l < Long.MAX_VALUE / 2) {
                        return l;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not this cgroup version
            }
        }
        return -1;
    }

    /** Bytes as gigabytes for messages ("2.31 GB"). */
    public static String gb(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.2f GB", bytes / 1e9);
    }

    /**
     * Throws when {@code bytes} more would not fit: "{@code what} needs 3.20 GB of memory; 1.10 GB is
     * available ({@code remedy})".
     *
     * @throws IllegalArgumentException when the allocation does not fit
     */
    public static void require(long bytes, String what, String remedy) {
        long available = availableBytes();
        if (bytes > available) {
            throw new IllegalArgumentException(what + " needs " + gb(bytes) + " of memory; " + gb(available)
                    + " is available" + (remedy == null ? "" : " (" + remedy + ")"));
        }
    }

    private static long meminfo(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** limit − usage of this process's cgroup (v2: memory.max/memory.current; v1: the *_in_bytes files). */
    private static long cgroupHeadroom() {
        long v2 = headroom(Path.of("/sys/fs/cgroup/memory.max"), Path.of("/sys/fs/cgroup/memory.current"));
        if (v2 >= 0) {
            return v2;
        }
        return headroom(Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
                Path.of("/sys/fs/cgroup/memory/memory.usage_in_bytes"));
    }

    private static long headroom(Path limitFile, Path usageFile) {
        try {
            String limit = Files.readString(limitFile).trim();
            if (limit.equals("max")) {
                return -1;
            }
            long l = Long.parseLong(limit);
            if (l >= Long.MAX_VALUE / 2) { // cgroup v1 writes a huge number for "no limit"
                return -1;
            }
            long used = Long.parseLong(Files.readString(usageFile).trim());
            return Math.max(0, l - used);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}

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
        return Math.min(free < 0 ? Long.MAX_VALUE : free, cgroup < 0 ? Long.MAX_VALUE : cgroup);
    }

    /** The memory this process may use in all: physical memory, or the cgroup's limit when that is lower. */
    public static long totalBytes() {
        long physical = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize();
        long limit = cgroupLimit();
        return limit > 0 ? Math.min(physical, limit) : physical;
    }

    /** The tightest memory limit of this process's cgroup and its ancestors; −1 if none. */
    private static long cgroupLimit() {
        long best = -1;
        for (Path dir : cgroupDirs()) {
            long l = limit(dir);
            if (l >= 0 && (best < 0 || l < best)) {
                best = l;
            }
        }
        return best;
    }

    /** One cgroup directory's memory limit in bytes; −1 for none ("max", v1's huge number, no file). */
    private static long limit(Path dir) {
        try {
            String v = Files.readString(dir.resolve(V2 ? "memory.max" : "memory.limit_in_bytes")).trim();
            if (v.equals("max")) {
                return -1;
            }
            long l = Long.parseLong(v);
            return l >= Long.MAX_VALUE / 2 ? -1 : l; // cgroup v1 writes a huge number for "no limit"
        } catch (IOException | RuntimeException e) {
            return -1;
        }
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

    /** limit − usage of this process's cgroup or the tightest of its ancestors (v2, else v1); −1 if unlimited. */
    private static long cgroupHeadroom() {
        long best = -1;
        for (Path dir : cgroupDirs()) {
            long l = limit(dir);
            if (l < 0) {
                continue;
            }
            try {
                long used = Long.parseLong(Files.readString(dir.resolve(V2 ? "memory.current" : "memory.usage_in_bytes")).trim());
                long h = Math.max(0, l - used);
                best = best < 0 ? h : Math.min(best, h);
            } catch (IOException | RuntimeException e) {
                // a limit without a usage figure: not counted
            }
        }
        return best;
    }

    private static final boolean V2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));

    /**
     * The memory cgroup directories from this process's own up to the root: /proc/self/cgroup names the
     * process's path, which on a host or in a non-namespaced container is not the mount's root.
     */
    public static java.util.List<Path> cgroupDirs() {
        java.util.List<Path> dirs = new java.util.ArrayList<>();
        Path base = V2 ? Path.of("/sys/fs/cgroup") : Path.of("/sys/fs/cgroup/memory");
        String own = "/";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String[] f = line.split(":", 3);
                if (f.length == 3 && (V2 ? f[0].equals("0") : java.util.Arrays.asList(f[1].split(",")).contains("memory"))) {
                    own = f[2];
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: only the mount's root, if any
        }
        for (Path p = Path.of(own); p != null; p = p.getParent()) {
            String rel = p.toString().replaceFirst("^/", "");
            Path dir = rel.isEmpty() ? base : base.resolve(rel);
            if (Files.isDirectory(dir)) {
                dirs.add(dir);
            }
        }
        if (dirs.isEmpty() || !dirs.get(dirs.size() - 1).equals(base)) {
            dirs.add(base);
        }
        return dirs;
    }
}

package dev.descent.gpu;

import dev.descent.data.BatchOrder;
import dev.descent.data.Dataset;
import java.util.List;

/**
 * The GPU's own limits on the data a bench cell trains on, timed on the device: one read of X and Y (a dot
 * product of each with itself: every element read once), and the gather of X's rows in one epoch's shuffled
 * order, batch by batch, with the training step's own kernel. The GPU counterparts of the CPU's
 * {@code MachineProbes}.
 */
public final class DeviceProbes {
    private static final int CHUNK = 1 << 30; // elements per dot call (cuBLAS takes an int length)

    private DeviceProbes() {
    }

    /** Best read of X and Y, and best shuffled gather of X per batch size (in {@code batches}' order), in seconds. */
    public record Result(double readSeconds, double[] gatherSeconds) {
    }

    /** Measures on {@code dev} (left open), best of {@code repeats}; the shuffle is epoch 0's of {@code seed}. */
    public static Result measure(Device dev, Dataset data, List<Integer> batches, long seed, int repeats) {
        long n = data.size();
        int nx = data.inputs();
        int ny = data.outputs();
        Device.Mem x = dev.alloc(n * nx);
        Device.Mem y = dev.alloc(n * ny);
        DeviceBlock.uploadRows(dev, data.x(), x, nx);
        DeviceBlock.uploadRows(dev, data.y(), y, ny);
        Device.Mem sink = dev.alloc(2);
        double read = Double.POSITIVE_INFINITY;
        for (int r = 0; r < repeats; r++) {
            read = Math.min(read, dev.time(() -> {
                readAll(dev, x, sink, 0);
                readAll(dev, y, sink, 1);
            }));
        }
        Device.Mem order = dev.allocInts(n);
        int widest = batches.stream().mapToInt(Integer::intValue).max().orElse(1);
        Device.Mem xb = dev.alloc((long) widest * nx);
        double[] gather = new double[batches.size()];
        for (int i = 0; i < gather.length; i++) {
            int b = batches.get(i);
            BatchOrder o = new BatchOrder(n, b, true, false, seed);
            o.startEpoch(0);
            dev.upload(o.order(), order);
            double best = Double.POSITIVE_INFINITY;
            for (int r = 0; r < repeats; r++) {
                best = Math.min(best, dev.time(() -> {
                    for (int k = 0; k < o.batches(); k++) {
                        dev.gatherRows(x, nx, order, k * b, o.size(k), xb);
                    }
                }));
            }
            gather[i] = best;
        }
        return new Result(read, gather);
    }

    private static void readAll(Device dev, Device.Mem m, Device.Mem sink, int slot) {
        for (long s = 0; s < m.length; s += CHUNK) {
            int len = (int) Math.min(CHUNK, m.length - s);
            dev.dot(len, m, s, m, s, sink, slot);
        }
    }
}

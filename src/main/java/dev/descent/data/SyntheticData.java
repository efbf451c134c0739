package dev.descent.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A linear regression problem drawn from ND4J's seeded RNG: X ~ N(0, 1), true W ~ N(0, 1) (nX×nY),
 * true B ~ N(0, 1) (nY), Y = X·W + B + noise·ε with ε ~ N(0, 1).
 *
 * <p>W and B come from an RNG seeded with {@code seed}; the rows are drawn in fixed blocks of
 * {@link #BLOCK_ROWS} rows, block k from its own RNG seeded from (seed, k) (X's block, then ε's). So a
 * block's bits do not depend on how many rows are drawn or how they are stored: the data generated into
 * memory, written to a file block by block, or regenerated partly are the same bits on the same backend,
 * and no more than one block is ever held beside the destination.
 */
public final class SyntheticData {
    /** Rows per independently seeded block. */
    public static final int BLOCK_ROWS = 1 << 16;

    private final long n;
    private final int nx;
    private final int ny;
    private final double noise;
    private final DataType dtype;
    private final long seed;
    private INDArray w;
    private INDArray b;

    public SyntheticData(long n, int nx, int ny, double noise, DataType dtype, long seed) {
        if (n < 1 || nx < 1 || ny < 1) {
            throw new IllegalArgumentException("sizes must be >= 1, got N=" + n + ", nX=" + nx + ", nY=" + ny);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("noise must be a finite number >= 0, got " + noise);
        }
        if (dtype != DataType.FLOAT && dtype != DataType.DOUBLE) {
            throw new IllegalArgumentException("dtype must be float32 or float64, got " + dtype);
        }
        this.n = n;
        this.nx = nx;
        this.ny = ny;
        this.noise = noise;
        this.dtype = dtype;
        this.seed = seed;
    }

    /** The generated data with the true parameters it came from. */
    public record Generated(Dataset data, INDArray trueW, INDArray trueB) {
    }

    private INDArray gaussian(Random rng, long... shape) {
        return Nd4j.randn(Nd4j.createUninitialized(dtype, shape), rng);
    }

    /** The true W (nX×nY), drawn on first use. A copy. */
    public INDArray trueW() {
        parameters();
        return w.dup();
    }

    /** The true B (nY), drawn on first use. A copy. */
    public INDArray trueB() {
        parameters();
        return b.dup();
    }

    private void parameters() {
        if (w == null) {
            try (Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed)) {
                w = gaussian(rng, nx, ny);
                b = gaussian(rng, ny);
            } catch (Exception e) {
                throw new IllegalStateException("closing the RNG failed", e);
            }
        }
    }

    /** Rows N. */
    public long rows() {
        return n;
    }

    /** Blocks of {@link #BLOCK_ROWS} rows (the last may be shorter). */
    public long blocks() {
        return (n + BLOCK_ROWS - 1) / BLOCK_ROWS;
    }

    /** Rows in block k. */
    public int blockRows(long k) {
        return (int) Math.min(BLOCK_ROWS, n - k * BLOCK_ROWS);
    }

    /**
     * Draws block k into the first {@link #blockRows} rows of {@code x} (…×nX) and {@code y} (…×nY),
     * c-ordered arrays of this dtype. x, y: modified.
     */
    public void block(long k, INDArray x, INDArray y) {
        if (k < 0 || k >= blocks()) {
            throw new IllegalArgumentException("block " + k + " of " + blocks());
        }
        parameters();
        int rows = blockRows(k);
        // SplitMix64's finaliser spreads (seed, k) over the seed space.
        long s = seed + 0x9E3779B97F4A7C15L * (k + 1);
        s = (s ^ (s >>> 30)) * 0xBF58476D1CE4E5B9L;
        s = (s ^ (s >>> 27)) * 0x94D049BB133111EBL;
        s ^= s >>> 31;
        try (Random rng = Nd4j.getRandomFactory().getNewRandomInstance(s)) {
            INDArray xb = x.rows() == rows ? x : x.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
            INDArray yb = y.rows() == rows ? y : y.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
            // Temporaries are closed at once: off-heap memory is otherwise freed only when the garbage
            // collector finds their Java wrappers, and hundreds of blocks would pile up beside the data.
            // (ND4J's mmul of a view copies the view first, hence the product of the block's own array.)
            INDArray g = gaussian(rng, rows, nx);
            xb.assign(g);
            INDArray yv = g.mmul(w).addiRowVector(b);
            g.close();
            if (noise > 0) {
                INDArray e = gaussian(rng, rows, ny).muli(noise);
                yv.addi(e);
                e.close();
            }
            yb.assign(yv);
            yv.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing the RNG failed", e);
        }
    }

    /** All N rows in memory, drawn block by block straight into X and Y. */
    public Generated generate() {
        INDArray x = Nd4j.createUninitialized(dtype, n, nx);
        INDArray y = Nd4j.createUninitialized(dtype, n, ny);
        for (long k = 0; k < blocks(); k++) {
            long r0 = k * BLOCK_ROWS;
            var rows = NDArrayIndex.interval(r0, r0 + blockRows(k));
            block(k, x.get(rows, NDArrayIndex.all()), y.get(rows, NDArrayIndex.all()));
        }
        return new Generated(new Dataset(x, y), trueW(), trueB());
    }
}

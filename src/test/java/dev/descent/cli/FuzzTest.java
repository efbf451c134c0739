package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.descent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutations of the inputs `train` reads: CSV files, .npy/.npz files and option values. Every case
 * must end, within its time limit, in exit 0 (the mutation left valid input), 2 (one line on stderr, no
 * exception text) or 3 (the mutated values made training diverge) — never an internal error (1), an
 * uncaught throwable, an OutOfMemoryError or a hang. 400 cases per kind, 1,200 in all.
 */
class FuzzTest extends SeededTest {
    private static final int CASES = 400;
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private int n;

    private void check(String what, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--epochs", "2", "--no-plots", "--progress", "off", "--out", tmp.resolve("out" + n++).toString()));
        TrainCommandTest.Run r = assertTimeoutPreemptively(LIMIT, () -> descent(a.toArray(String[]::new)), what);
        assertTrue(r.code() == 0 || r.code() == ExitCodes.BAD_INPUT || r.code() == ExitCodes.DIVERGED,
                what + " → exit " + r.code() + ": " + r.err());
        if (r.code() != 0) {
            assertEquals(1, r.err().strip().lines().count(), what + ": " + r.err());
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), what + ": " + r.err());
        }
    }

    private static byte[] mutate(byte[] in, SplittableRandom rng, int headerBytes) {
        byte[] b = in.clone();
        switch (rng.nextInt(5)) {
            case 0 -> b = Arrays.copyOf(b, rng.nextInt(b.length)); // truncation
            case 1 -> { // bit flips, often in the header
                for (int k = 1 + rng.nextInt(3); k > 0; k--) {
                    int i = rng.nextBoolean() ? rng.nextInt(Math.min(headerBytes, b.length)) : rng.nextInt(b.length);
                    b[i] ^= (byte) (1 << rng.nextInt(8));
                }
            }
            case 2 -> { // inserted bytes: non-UTF-8, control characters, separators, quotes
                byte[] pool = {(byte) 0xff, (byte) 0xc3, 0, '\n', ',', '"', ';', '\r', 'e', '-', '.', (byte) 0x93};
                int at = rng.nextInt(b.length);
                int len = 1 + rng.nextInt(6);
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, at);
                for (int i = 0; i < len; i++) {
                    out[at + i] = pool[rng.nextInt(pool.length)];
                }
                System.arraycopy(b, at, out, at + len, b.length - at);
                b = out;
            }
            case 3 -> { // a deleted range
                int at = rng.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + rng.nextInt(20));
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + len, out, at, b.length - at - len);
                b = out;
            }
            default -> { // random bytes over a stretch
                int at = rng.nextInt(b.length);
                for (int i = at; i < Math.min(b.length, at + 1 + rng.nextInt(16)); i++) {
                    b[i] = (byte) rng.nextInt(256);
                }
            }
        }
        return b;
    }

    @Test
    void mutatedCsvFiles() throws Exception {
        StringBuilder csv = new StringBuilder("a,b,c,y\n");
        SplittableRandom data = new SplittableRandom(1);
        for (int i = 0; i < 40; i++) {
            double a = data.nextGaussian();
            double b = data.nextGaussian();
            double c = data.nextGaussian();
            csv.append(a).append(',').append(b).append(',').append(c).append(',').append(2 * a - b + 0.5 * c + 1).append('\n');
        }
        byte[] base = csv.toString().getBytes(StandardCharsets.UTF_8);
        SplittableRandom rng = new SplittableRandom(SEED);
        for (int k = 0; k < CASES; k++) {
            Path f = Files.write(tmp.resolve("f" + k + ".csv"), mutate(base, rng, 8));
            check("csv case " + k, "train", "--data", f.toString(), "--target", "y", "--batch-size", "4");
        }
    }

    @Test
    void mutatedNumpyFiles() throws Exception {
        assertEquals(0, descent("generate", "--kind", "synthetic", "--n-samples", "30", "--n-features", "3",
                "--out", tmp.resolve("X.npy").toString(), "--out-y", tmp.resolve("y.npy").toString()).code());
        assertEquals(0, descent("generate", "--kind", "synthetic", "--n-samples", "30", "--n-features", "3",
                "--out", tmp.resolve("d.npz").toString()).code());
        byte[] x = Files.readAllBytes(tmp.resolve("X.npy"));
        byte[] z = Files.readAllBytes(tmp.resolve("d.npz"));
        String header = new String(x, 0, 128, StandardCharsets.ISO_8859_1);
        String[] shapes = {"(99999999999, 99999)", "(-5, 3)", "(0, 3)", "(30, 3, 2)", "(30,)", "(9223372036854775807, 2)", "(30, 3L)"};
        String[] descrs = {"'<i8'", "'|b1'", "'<f2'", "'>f4'", "'<c16'", "'O'"};
        SplittableRandom rng = new SplittableRandom(SEED + 1);
        for (int k = 0; k < CASES; k++) {
            byte[] m;
            String name = "m" + k + ".npy";
            switch (k % 4) {
                case 0 -> m = mutate(x, rng, 128);
                case 1 -> { // a rewritten header: other shapes and dtypes, same length so the data offset holds
                    String h = header.replace("(30, 3)", shapes[rng.nextInt(shapes.length)]).replace("'<f8'", descrs[rng.nextInt(descrs.length)]);
                    h = (h + " ".repeat(128)).substring(0, 127) + "\n";
                    m = x.clone();
                    System.arraycopy(h.getBytes(StandardCharsets.ISO_8859_1), 0, m, 0, 128);
                }
                case 2 -> {
                    m = mutate(z, rng, 64);
                    name = "m" + k + ".npz";
                }
                default -> m = mutate(x, rng, 12);
            }
            Path f = Files.write(tmp.resolve(name), m);
            if (name.endsWith(".npz")) {
                check("npz case " + k, "train", "--data", f.toString(), "--batch-size", "4");
            } else {
                check("npy case " + k, "train", "--data", f.toString(), "--data-y", tmp.resolve("y.npy").toString(), "--batch-size", "4");
            }
        }
    }

    @Test
    void hostileOptionValues() {
        String[] options = {"--lr", "--momentum", "--dampening", "--batch-size", "--epochs", "--rows", "--nx", "--ny", "--noise",
            "--dtype", "--test-fraction", "--seed", "--optimizer", "--schedule", "--decay", "--gamma", "--step-every", "--tol",
            "--init", "--kernel", "--scale-x", "--scale-y", "--divergence-factor", "--checkpoint-every", "--solver", "--target",
            "--delimiter", "--plot-epoch"};
        String[] values = {"", "-1", "0", "1", "2", "NaN", "Infinity", "-Infinity", "1e309", "1e-320", "abc", "0x10", "3.5",
            "99999999999999999999", " ", "é", "--lr", "0.999999", "1e6", "float16", "momentum", "-0"};
        SplittableRandom rng = new SplittableRandom(SEED + 2);
        for (int k = 0; k < CASES; k++) {
            List<String> a = new ArrayList<>(List.of("train", "--rows", "300", "--nx", "3"));
            for (int j = 1 + rng.nextInt(3); j > 0; j--) {
                String o = options[rng.nextInt(options.length)];
                if (!a.contains(o)) {
                    a.add(o);
                    a.add(values[rng.nextInt(values.length)]);
                }
            }
            check("options case " + k + " " + a, a.toArray(String[]::new));
        }
    }
}

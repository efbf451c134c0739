package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.descent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Options a peer refuses, or that mean nothing for the chosen optimizer or schedule, are refused (issue 13.4). */
class PeerRulesTest extends SeededTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-o nesterov-torch -m 0.9 --dampening 0.5 | Nesterov momentum requires a momentum > 0 and zero dampening",
        "-o nesterov-torch                        | Nesterov momentum requires a momentum > 0 and zero dampening",
        "-o momentum-keras -m 0.9 --dampening 0.5 | --dampening is τ of the PyTorch forms",
        "-o ema -m 0.9 --dampening 0.1            | --dampening is τ of the PyTorch forms",
        "-m 0.9                                   | sgd has no momentum",
        "--schedule inverse-time --gamma 0.5      | --gamma belongs to --schedule step or exponential",
        "--schedule step --decay 0.1              | --decay belongs to --schedule inverse-time",
        "--schedule exponential --step-every 3    | --step-every belongs to --schedule step"})
    void meaninglessOptionsAreRefused(String options, String message) {
        String[] opts = options.trim().split("\\s+");
        String[] args = new String[opts.length + 5];
        args[0] = "train";
        System.arraycopy(opts, 0, args, 1, opts.length);
        System.arraycopy(new String[] {"--rows", "100", "--out", tmp.resolve("r").toString()}, 0, args, opts.length + 1, 4);
        TrainCommandTest.Run r = descent(args);
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.out());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void whatPeersAcceptStillRuns() {
        for (String[] opts : new String[][] {{"-o", "momentum-torch", "-m", "0.9", "--dampening", "0.5"},
            {"-o", "nesterov-torch", "-m", "0.9"}, {"--schedule", "step", "--gamma", "0.5", "--step-every", "2"},
            {"--schedule", "inverse-time", "--decay", "0.01"}}) {
            String[] args = new String[opts.length + 12];
            args[0] = "train";
            System.arraycopy(opts, 0, args, 1, opts.length);
            System.arraycopy(new String[] {"--rows", "200", "--epochs", "1", "--no-plots", "--progress", "off", "--overwrite", "--out",
                tmp.resolve("ok").toString(), "--no-exact"}, 0, args, opts.length + 1, 11);
            TrainCommandTest.Run r = descent(args);
            assertEquals(0, r.code(), String.join(" ", opts) + ": " + r.err());
        }
    }

    /** analyze prints every form's stable rate (checked against the closed forms) and the spectrum at any width. */
    @Test
    void analyzePrintsEveryFormsLimitAndTheSpectrum() {
        TrainCommandTest.Run r = descent("analyze", "--rows", "1000", "--nx", "40", "--momentum", "0.5");
        assertEquals(0, r.code(), r.err());
        double lambdaMax = Double.parseDouble(r.out().replaceAll("(?s).*λmax = ([0-9.e+-]+),.*", "$1"));
        assertTrue(r.out().contains("eigenvalues (41, ascending): smallest ["), r.out());
        check(r.out(), "momentum-keras  lr < ", 2 * 1.5 / lambdaMax);
        check(r.out(), "momentum-torch  lr < ", 2 * 1.5 / lambdaMax);
        check(r.out(), "ema             λ  < ", 2 * 1.5 / (0.5 * lambdaMax));
        check(r.out(), "nesterov-keras  lr < ", 2 * 1.5 / (2 * lambdaMax));
        check(r.out(), "nesterov-torch  lr < ", 2 * 1.5 / (2 * lambdaMax));
        TrainCommandTest.Run small = descent("analyze", "--rows", "1000", "--nx", "3");
        assertTrue(small.out().contains("eigenvalues: ["), small.out());
    }

    private static void check(String out, String prefix, double expected) {
        String line = out.lines().filter(l -> l.strip().startsWith(prefix.strip().split(" ")[0] + " ")).findFirst().orElseThrow();
        double v = Double.parseDouble(line.substring(line.indexOf('<') + 1).trim().split("\\s+")[0]);
        assertEquals(expected, v, 1e-5 * expected, line);
    }
}

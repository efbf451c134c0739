package dev.descent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Round ticks and short labels for the hand-drawn heat and contour maps. */
class TicksTest {
    static double[] linear(double from, double to, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = from + (to - from) * i / (n - 1);
        }
        return v;
    }

    static double[] log(double from, double to, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = from * Math.pow(to / from, (double) i / (n - 1));
        }
        return v;
    }

    @Test
    void linearAxesGetOneTwoFiveSteps() {
        assertEquals(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0), Ticks.of(linear(0.1, 8, 40)));
        assertEquals(List.of(0.0, 0.2, 0.4, 0.6, 0.8), Ticks.of(linear(0, 0.95, 20)));
        assertEquals(List.of(-100.0, -50.0, 0.0, 50.0, 100.0, 150.0, 200.0), Ticks.of(linear(-100, 200, 61)));
    }

    @Test
    void logAxesGetDecadesAndTheirRoundMultiples() {
        assertEquals(List.of(0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0), Ticks.of(log(0.001, 3, 30)));
        assertEquals(List.of(1e-6, 1e-5, 1e-4, 1e-3, 1e-2), Ticks.of(log(1e-6, 1e-2, 9)));
        assertEquals(List.of(0.5, 1.0, 2.0), Ticks.of(log(0.3, 3, 9)));
    }

    @Test
    void positionsFollowTheAxisSpacing() {
        assertEquals(0.5, Ticks.position(linear(0, 10, 11), 5), 1e-12);
        assertEquals(0.5, Ticks.position(log(0.01, 1, 11), 0.1), 1e-12);
    }

    @Test
    void labelsAreShortAndColourBarsUseDecades() {
        assertEquals("0.5", Ticks.label(0.5));
        assertEquals("2000", Ticks.label(2000));
        assertEquals("0.003", Ticks.label(0.003));
        assertEquals("1e-05", Ticks.label(1e-5));
        assertEquals("1e-04", Ticks.label(1e-4));
        assertEquals("1.5e+06", Ticks.label(1.5e6));
        assertEquals(List.of(0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0), Ticks.logColourBar(0.0100208, 1.5e4));
        assertEquals(List.of(1e-3, 1e-1, 10.0, 1e3, 1e5), Ticks.logColourBar(1e-3, 2e6));
        List<Double> narrow = Ticks.logColourBar(0.0101, 0.0153);
        assertEquals(5, narrow.size());
        assertTrue(narrow.get(0) >= 0.0101 * 0.99 && narrow.get(4) <= 0.0153 * 1.01, narrow.toString());
    }
}

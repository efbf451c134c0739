package dev.descent.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Round tick values for axes drawn by hand (heat maps, contour maps): 1, 2 or 5 × 10ᵏ steps on a linear
 * axis, decades (and 2, 5 between them when there are few) on a logarithmic one, and labels in their
 * shortest form ("0.5", "2000", "1e-05").
 */
public final class Ticks {
    private Ticks() {
    }

    /** At most about seven round values inside [coords[0], coords[n−1]] (ascending; log spacing detected). */
    public static List<Double> of(double[] coords) {
        double lo = coords[0];
        double hi = coords[coords.length - 1];
        List<Double> ticks = new ArrayList<>();
        if (!(hi > lo)) {
            ticks.add(lo);
            return ticks;
        }
        if (logarithmic(coords) && hi / lo >= 10) {
            double[] mantissas = hi / lo >= 1e4 ? new double[] {1} : hi / lo >= 100 ? new double[] {1, 3} : new double[] {1, 2, 5};
            for (int k = (int) Math.floor(Math.log10(lo)); k <= (int) Math.ceil(Math.log10(hi)); k++) {
                for (double m : mantissas) {
                    double v = Double.parseDouble(m + "e" + k);
                    if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) {
                        ticks.add(v);
                    }
                }
            }
            return ticks;
        }
        double step = niceStep((hi - lo) / 6);
        for (long k = (long) Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) {
            ticks.add(BigDecimal.valueOf(k).multiply(BigDecimal.valueOf(step)).doubleValue());
        }
        return ticks;
    }

    /** Where v lies between the first (0) and the last (1) coordinate, linearly or logarithmically as they are spaced. */
    public static double position(double[] coords, double v) {
        double lo = coords[0];
        double hi = coords[coords.length - 1];
        if (!(hi > lo)) {
            return 0.5;
        }
        return logarithmic(coords) ? Math.log(v / lo) / Math.log(hi / lo) : (v - lo) / (hi - lo);
    }

    /** Colour-bar levels for a log scale over [lo, hi]: the decades inside it when there are at least three, else five levels. */
    public static List<Double> logColourBar(double lo, double hi) {
        List<Double> ticks = new ArrayList<>();
        for (int k = (int) Math.ceil(Math.log10(lo) - 1e-9); k <= Math.floor(Math.log10(hi) + 1e-9); k++) {
            ticks.add(Double.parseDouble("1e" + k));
        }
        while (ticks.size() > 6) { // every other decade
            List<Double> thin = new ArrayList<>();
            for (int i = 0; i < ticks.size(); i += 2) {
                thin.add(ticks.get(i));
            }
            ticks = thin;
        }
        if (ticks.size() >= 3) {
            return ticks;
        }
        ticks.clear();
        for (int i = 0; i <= 4; i++) {
            double v = Math.pow(10, Math.log10(lo) + i * (Math.log10(hi) - Math.log10(lo)) / 4);
            ticks.add(new BigDecimal(v).round(new java.math.MathContext(2)).doubleValue());
        }
        return ticks;
    }

    /** The shortest text of a round value: "0.5", "2000", "1.5e+04" only past 1e5, "1e-05" below 1e-3. */
    public static String label(double v) {
        double a = Math.abs(v);
        if (v == 0) {
            return "0";
        }
        if (a >= 1e5 || a < 1e-3) {
            String s = String.format(java.util.Locale.ROOT, "%.1e", v); // %g would write 1e-4 as 0.00010
            return s.replaceAll("\\.0e", "e");
        }
        return new BigDecimal(Double.toString(v)).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / p;
        double nice = m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10;
        return BigDecimal.valueOf(nice).multiply(BigDecimal.valueOf(p)).doubleValue();
    }

    /** Positive coordinates with a constant ratio rather than a constant difference. */
    public static boolean logarithmic(double[] c) {
        if (c.length < 3 || c[0] <= 0) {
            return false;
        }
        double r = c[1] / c[0];
        double d = c[1] - c[0];
        boolean ratio = Math.abs(c[c.length - 1] / c[c.length - 2] - r) < 1e-6 * r;
        boolean diff = Math.abs((c[c.length - 1] - c[c.length - 2]) - d) < 1e-6 * Math.abs(d);
        return ratio && !diff;
    }
}

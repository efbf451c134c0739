package dev.descent.sweep;

import java.util.Locale;

/**
 * Values along one axis of a grid, parsed from {@code FROM:TO:COUNT} (linear, both ends included) or
 * {@code log:FROM:TO:COUNT} (geometric), or a single number.
 */
public record Axis(double[] values) {

    public static Axis parse(String spec, String option) {
        String[] p = spec.split(":");
        try {
            if (p.length == 1) {
                return new Axis(new double[] {Double.parseDouble(p[0])});
            }
            boolean log = p[0].equalsIgnoreCase("log");
            int o = log ? 1 : 0;
            if (p.length != 3 + o) {
                throw new IllegalArgumentException();
            }
            double from = Double.parseDouble(p[o]);
            double to = Double.parseDouble(p[o + 1]);
            int n = Integer.parseInt(p[o + 2]);
            if (n < 1 || n > 10_000 || !Double.isFinite(from) || !Double.isFinite(to) || (log && (from <= 0 || to <= 0))) {
                throw new IllegalArgumentException();
            }
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                double f = n == 1 ? 0 : (double) i / (n - 1);
                v[i] = log ? Math.exp(Math.log(from) + f * (Math.log(to) - Math.log(from))) : from + f * (to - from);
            }
            return new Axis(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s '%s': expected FROM:TO:COUNT, log:FROM:TO:COUNT (FROM, TO > 0) or a number, COUNT in 1..10000",
                    option, spec));
        }
    }

    public int size() {
        return values.length;
    }
}

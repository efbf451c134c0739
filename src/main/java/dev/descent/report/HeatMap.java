package dev.descent.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.Locale;

/**
 * A heat map of a grid of values on a log colour scale, with marked (diverged) cells and an optional
 * polyline with markers over it — the figure XChart's heat map cannot draw (it takes no overlay). Paints
 * on any Graphics2D, so the same code writes PNG (a BufferedImage) and SVG (VectorGraphics2D).
 *
 * @param title the figure title
 * @param xLabel horizontal axis label (the columns' quantity, with units)
 * @param yLabel vertical axis label
 * @param xs column coordinates (ascending)
 * @param ys row coordinates (ascending)
 * @param values values[row][column]; NaN or ≤ 0 cells are drawn as marked
 * @param line y coordinate of the line for each column (NaN: no point), or null
 * @param lineLabel legend text for the line
 */
public record HeatMap(String title, String xLabel, String yLabel, double[] xs, double[] ys, double[][] values,
        double[] line, String lineLabel, java.util.List<double[][]> paths, java.util.List<String> pathLabels, int bands,
        String valueLabel) {

    /** A grid heat map with an optional per-column line (the sweep's best momentum). */
    public HeatMap(String title, String xLabel, String yLabel, double[] xs, double[] ys, double[][] values, double[] line,
            String lineLabel) {
        this(title, xLabel, yLabel, xs, ys, values, line, lineLabel, null, null, 0, "loss (log)");
    }

    /**
     * A filled contour map ({@code bands} colour levels on a log scale) of values on a uniform grid, with a
     * path of (x, y) points in data coordinates drawn over it (an optimizer's trajectory).
     */
    public static HeatMap contour(String title, String xLabel, String yLabel, double[] xs, double[] ys, double[][] values,
            double[][] path, String pathLabel, int bands) {
        return new HeatMap(title, xLabel, yLabel, xs, ys, values, null, null, java.util.List.<double[][]>of(path), java.util.List.of(pathLabel),
                bands, "loss (log)");
    }

    /** A filled contour map with several trajectories over it, each in its own colour with its label. */
    public static HeatMap contour(String title, String xLabel, String yLabel, double[] xs, double[] ys, double[][] values,
            java.util.List<double[][]> paths, java.util.List<String> labels, int bands) {
        return new HeatMap(title, xLabel, yLabel, xs, ys, values, null, null, paths, labels, bands, "loss (log)");
    }

    /** Trajectory colours where there are several: distinct on the blue-to-brown map. */
    private static final Color[] PATH_COLOURS = {Color.WHITE, new Color(0xff1744), new Color(0x00e676), new Color(0xffea00),
        new Color(0xd500f9), Color.BLACK};

    private static final Color[] STOPS = {new Color(0x1f3b99), new Color(0x2c7fb8), new Color(0x7fcdbb),
        new Color(0xedf8b1), new Color(0xfdae61), new Color(0xa6611a)};

    public void paint(Graphics2D g, int width, int height) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fill(new Rectangle2D.Double(0, 0, width, height));
        int left = 80;
        int right = 120;
        int top = 50;
        int bottom = 60;
        double pw = width - left - right;
        double ph = height - top - bottom;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] row : values) {
            for (double v : row) {
                if (v > 0 && Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(lo <= hi)) {
            lo = 1;
            hi = 10;
        }
        double llo = Math.log10(lo);
        double lhi = Math.max(Math.log10(hi), llo + 1e-12);
        int nx = xs.length;
        int ny = ys.length;
        double cw = pw / nx;
        double ch = ph / ny;
        for (int r = 0; r < ny; r++) {
            for (int c = 0; c < nx; c++) {
                double v = values[r][c];
                double x0 = left + c * cw;
                double y0 = top + (ny - 1 - r) * ch;
                Rectangle2D cell = new Rectangle2D.Double(x0, y0, cw + 0.5, ch + 0.5);
                if (v > 0 && Double.isFinite(v)) {
                    double u = (Math.log10(v) - llo) / (lhi - llo);
                    if (bands > 0) { // filled contours: one colour per band
                        u = Math.min(bands - 1, Math.floor(u * bands)) / Math.max(1, bands - 1);
                    }
                    g.setColor(colour(u));
                    g.fill(cell);
                } else { // diverged: grey with a cross
                    g.setColor(new Color(0x9e9e9e));
                    g.fill(cell);
                    g.setColor(new Color(0x424242));
                    g.setStroke(new BasicStroke(1f));
                    g.draw(new Line2D.Double(x0 + cw * 0.25, y0 + ch * 0.25, x0 + cw * 0.75, y0 + ch * 0.75));
                    g.draw(new Line2D.Double(x0 + cw * 0.75, y0 + ch * 0.25, x0 + cw * 0.25, y0 + ch * 0.75));
                }
            }
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        g.draw(new Rectangle2D.Double(left, top, pw, ph));
        Font f = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        g.setFont(f);
        FontMetrics fm = g.getFontMetrics();
        for (double v : Ticks.of(xs)) { // round values, placed between the cell centres they fall between
            String s = Ticks.label(v);
            double x = left + cw / 2 + Ticks.position(xs, v) * (pw - cw);
            g.draw(new Line2D.Double(x, top + ph, x, top + ph + 4));
            g.drawString(s, (float) (x - fm.stringWidth(s) / 2.0), (float) (top + ph + 18));
        }
        for (double v : Ticks.of(ys)) {
            String s = Ticks.label(v);
            double y = top + ph - ch / 2 - Ticks.position(ys, v) * (ph - ch);
            g.draw(new Line2D.Double(left - 4, y, left, y));
            g.drawString(s, left - 8 - fm.stringWidth(s), (float) (y + fm.getAscent() / 2.0 - 1));
        }
        g.drawString(xLabel, (float) (left + pw / 2 - fm.stringWidth(xLabel) / 2.0), height - 18);
        Graphics2D gy = (Graphics2D) g.create();
        gy.rotate(-Math.PI / 2);
        gy.drawString(yLabel, (float) (-(top + ph / 2) - fm.stringWidth(yLabel) / 2.0), 18f);
        gy.dispose();
        g.setFont(f.deriveFont(Font.BOLD, 14f));
        g.drawString(title, (float) (width / 2.0 - g.getFontMetrics().stringWidth(title) / 2.0), 28f);
        g.setFont(f);
        if (line != null) { // best momentum per learning rate
            g.setColor(new Color(0x00e5ff));
            g.setStroke(new BasicStroke(2f));
            double px = Double.NaN;
            double py = Double.NaN;
            for (int c = 0; c < nx; c++) {
                if (Double.isNaN(line[c])) {
                    px = Double.NaN;
                    continue;
                }
                double x = left + (c + 0.5) * cw;
                double y = top + ph - (rowIndex(line[c]) + 0.5) * ch;
                if (!Double.isNaN(px)) {
                    g.draw(new Line2D.Double(px, py, x, y));
                }
                g.fill(new java.awt.geom.Ellipse2D.Double(x - 4, y - 4, 8, 8));
                px = x;
                py = y;
            }
            g.drawString("● " + lineLabel, left + 6, top - 6);
        }
        if (paths != null && !paths.isEmpty()) { // trajectories in data coordinates
            double x0 = xs[0];
            double x1 = xs[nx - 1];
            double y0 = ys[0];
            double y1 = ys[ny - 1];
            boolean one = paths.size() == 1;
            float legendX = left + 6;
            java.awt.Shape clip = g.getClip();
            for (int q = 0; q < paths.size(); q++) {
                g.setClip(new Rectangle2D.Double(left, top, pw, ph)); // a path that leaves the chosen range is cut at its edge
                double[][] path = paths.get(q);
                Color colour = one ? Color.WHITE : PATH_COLOURS[q % PATH_COLOURS.length];
                g.setStroke(new BasicStroke(1.6f));
                double px = Double.NaN;
                double py = Double.NaN;
                for (double[] pt : path) {
                    double x = left + cw / 2 + (pt[0] - x0) / (x1 - x0) * (pw - cw);
                    double y = top + ph - ch / 2 - (pt[1] - y0) / (y1 - y0) * (ph - ch);
                    g.setColor(colour);
                    if (!Double.isNaN(px)) {
                        g.draw(new Line2D.Double(px, py, x, y));
                    }
                    g.fill(new java.awt.geom.Ellipse2D.Double(x - 3, y - 3, 6, 6));
                    px = x;
                    py = y;
                }
                if (one && path.length > 0) {
                    double[] last = path[path.length - 1];
                    g.setColor(new Color(0xff1744));
                    g.fill(new java.awt.geom.Ellipse2D.Double(left + cw / 2 + (last[0] - x0) / (x1 - x0) * (pw - cw) - 5,
                            top + ph - ch / 2 - (last[1] - y0) / (y1 - y0) * (ph - ch) - 5, 10, 10));
                }
                g.setClip(clip);
                String label = "○ " + pathLabels.get(q) + (one ? " (red: latest)" : "");
                g.setColor(one ? Color.BLACK : colour.darker());
                g.drawString(label, legendX, top - 6);
                legendX += g.getFontMetrics().stringWidth(label) + 14;
            }
        }
        // colour bar (log scale)
        double bx = left + pw + 20;
        for (int i = 0; i < 100; i++) {
            g.setColor(colour(1 - i / 99.0));
            g.fill(new Rectangle2D.Double(bx, top + i * ph / 100, 18, ph / 100 + 1));
        }
        g.setColor(Color.BLACK);
        g.draw(new Rectangle2D.Double(bx, top, 18, ph));
        for (double v : Ticks.logColourBar(lo, hi)) { // decades where the range spans them, else 5 rounded levels
            double y = top + (lhi - Math.log10(v)) / (lhi - llo) * ph;
            g.draw(new Line2D.Double(bx + 18, y, bx + 22, y));
            g.drawString(Ticks.label(v), (float) (bx + 24), (float) (y + fm.getAscent() / 2.0 - 1));
        }
        g.drawString(valueLabel, (float) bx - 4, top - 20); // above the top label, which reaches top − 8
        boolean marked = java.util.Arrays.stream(values).flatMapToDouble(java.util.Arrays::stream).anyMatch(v -> !(v > 0) || !Double.isFinite(v));
        if (marked) {
            g.setColor(new Color(0x9e9e9e));
            g.fill(new Rectangle2D.Double(bx, top + ph + 12, 12, 12));
            g.setColor(Color.BLACK);
            g.drawString("diverged", (float) bx + 16, (float) (top + ph + 22));
        }
    }

    private double rowIndex(double y) {
        for (int r = 0; r < ys.length; r++) {
            if (ys[r] == y) {
                return r;
            }
        }
        return 0;
    }

    static Color colour(double t) {
        t = Math.max(0, Math.min(1, t));
        double p = t * (STOPS.length - 1);
        int i = Math.min(STOPS.length - 2, (int) p);
        double f = p - i;
        Color a = STOPS[i];
        Color b = STOPS[i + 1];
        return new Color((int) (a.getRed() + f * (b.getRed() - a.getRed())), (int) (a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) (a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    static String fmt(double v) {
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e4) ? String.format(Locale.ROOT, "%.1e", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}

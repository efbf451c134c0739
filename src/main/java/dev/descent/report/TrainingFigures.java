package dev.descent.report;

import dev.descent.data.AtomicFiles;
import dev.descent.engine.EpochStats;
import dev.descent.model.LinearModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The figures of a training run: loss curves, and for one feature and one output the loss surface. */
public final class TrainingFigures {
    private TrainingFigures() {
    }

    /** The most epochs drawn: a longer history is drawn every k-th epoch (the last always), so a figure stays small. */
    static final int MAX_POINTS = 2000;

    /** Training and test loss against epoch (log scale); long histories are thinned to {@value #MAX_POINTS} points. */
    public static XYChart lossCurves(String title, String units, List<EpochStats> all) {
        List<EpochStats> history = thinned(all);
        double[] ep = history.stream().mapToDouble(s -> s.epoch() + 1).toArray();
        List<Plots.Curve> curves = new ArrayList<>();
        curves.add(new Plots.Curve("training loss (mean of batch losses)", ep, history.stream().mapToDouble(EpochStats::trainLoss).toArray()));
        if (history.stream().anyMatch(s -> !Double.isNaN(s.testLoss()))) {
            curves.add(new Plots.Curve("test loss (after the epoch)", ep, history.stream().mapToDouble(EpochStats::testLoss).toArray()));
        }
        return Plots.lines(title, "epoch", "MSE (" + units + ", log scale)", curves, true, 1e-300);
    }

    static List<EpochStats> thinned(List<EpochStats> all) {
        if (all.size() <= MAX_POINTS) {
            return all;
        }
        int stride = (all.size() + MAX_POINTS - 1) / MAX_POINTS;
        List<EpochStats> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += stride) {
            out.add(all.get(i));
        }
        if (out.get(out.size() - 1) != all.get(all.size() - 1)) {
            out.add(all.get(all.size() - 1));
        }
        return out;
    }

    /**
     * For y = w·x + b on data x, y (N×1 each): the MSE surface over (w, b), computed once from the data's
     * moments on a grid that covers the whole trajectory (the models after each epoch, the first point
     * the initial model) and the minimum; {@link #panels} draws it for any prefix of the trajectory, so
     * an animation's frames share the one computation.
     */
    public static final class Surface {
        private final String title;
        private final String units;
        private final double[] xv;
        private final double[] yv;
        private final List<LinearModel> trajectory;
        private final double[][] path;
        private final double[] ws;
        private final double[] bs;
        private final double[][] loss;

        private Surface(String title, String units, double[] xv, double[] yv, List<LinearModel> trajectory, double[][] path,
                double[] ws, double[] bs, double[][] loss) {
            this.title = title;
            this.units = units;
            this.xv = xv;
            this.yv = yv;
            this.trajectory = trajectory;
            this.path = path;
            this.ws = ws;
            this.bs = bs;
            this.loss = loss;
        }

        /**
         * The filled contour map with the trajectory's first {@code upTo} points, and below it the data with
         * the fitted line of point {@code upTo − 1}.
         */
        public List<Plots.Panel> panels(int upTo) {
            int k = Math.max(1, Math.min(upTo, path.length));
            double[][] shown = java.util.Arrays.copyOf(path, k);
            HeatMap map = HeatMap.contour(title, "slope w (" + units + ")", "intercept b (" + units + ")", ws, bs, loss, shown,
                    "trajectory after each epoch", 14);
            return List.of(Plots.Panel.of(map, 900, 560), Plots.Panel.of(fit(xv, yv, trajectory.get(k - 1), k - 1, units)));
        }
    }

    /**
     * The data's moments (means of x, y, x², xy, y²), from which the MSE of y ≈ w·x + b is
     * w²·E[x²] + b² + E[y²] + 2wb·E[x] − 2w·E[xy] − 2b·E[y] at any (w, b) without another pass.
     */
    private record Moments(double sx, double sy, double sxx, double sxy, double syy) {
        static Moments of(double[] x, double[] y) {
            double n = x.length;
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double sxy = 0;
            double syy = 0;
            for (int i = 0; i < x.length; i++) {
                sx += x[i] / n;
                sy += y[i] / n;
                sxx += x[i] * x[i] / n;
                sxy += x[i] * y[i] / n;
                syy += y[i] * y[i] / n;
            }
            return new Moments(sx, sy, sxx, sxy, syy);
        }

        /** The least-squares slope cov(x, y)/var(x) (0 for constant x); the intercept is ȳ − slope·x̄. */
        double slope() {
            double var = sxx - sx * sx;
            return var > 0 ? (sxy - sx * sy) / var : 0;
        }

        /** The MSE at every (w, b) of the grid, indexed [b][w]. */
        double[][] grid(double[] ws, double[] bs) {
            double[][] loss = new double[bs.length][ws.length];
            for (int r = 0; r < bs.length; r++) {
                for (int c = 0; c < ws.length; c++) {
                    double w = ws[c];
                    double b = bs[r];
                    loss[r][c] = w * w * sxx + b * b + syy + 2 * w * b * sx - 2 * w * sxy - 2 * b * sy;
                }
            }
            return loss;
        }
    }

    /** The loss surface of a one-feature, one-output run (see {@link Surface}). x, y: not modified. */
    public static Surface surface(String title, String units, INDArray x, INDArray y, List<LinearModel> trajectory) {
        double[] xv = x.castTo(DataType.DOUBLE).reshape(x.rows()).toDoubleVector();
        double[] yv = y.castTo(DataType.DOUBLE).reshape(y.rows()).toDoubleVector();
        Moments mo = Moments.of(xv, yv);
        double wStar = mo.slope();
        double bStar = mo.sy() - wStar * mo.sx();
        double[][] path = new double[trajectory.size()][];
        double wlo = Double.POSITIVE_INFINITY;
        double whi = Double.NEGATIVE_INFINITY;
        double blo = Double.POSITIVE_INFINITY;
        double bhi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < path.length; i++) {
            path[i] = new double[] {trajectory.get(i).weights().getDouble(0, 0), trajectory.get(i).bias().getDouble(0)};
        }
        for (double[] p : path) {
            wlo = Math.min(wlo, p[0]);
            whi = Math.max(whi, p[0]);
            blo = Math.min(blo, p[1]);
            bhi = Math.max(bhi, p[1]);
        }
        wlo = Math.min(wlo, wStar);
        whi = Math.max(whi, wStar);
        blo = Math.min(blo, bStar);
        bhi = Math.max(bhi, bStar);
        double wm = Math.max(0.25 * (whi - wlo), 0.1 * Math.max(1, Math.abs(wStar)));
        double bm = Math.max(0.25 * (bhi - blo), 0.1 * Math.max(1, Math.abs(bStar)));
        int g = GRID;
        double[] ws = new double[g];
        double[] bs = new double[g];
        for (int i = 0; i < g; i++) {
            ws[i] = wlo - wm + (whi - wlo + 2 * wm) * i / (g - 1);
            bs[i] = blo - bm + (bhi - blo + 2 * bm) * i / (g - 1);
        }
        double[][] loss = mo.grid(ws, bs);
        return new Surface(title, units, xv, yv, List.copyOf(trajectory), path, ws, bs, loss);
    }

    /** Points per axis of a loss surface: fine enough that the colour bands' edges look smooth. */
    static final int GRID = 240;

    /**
     * The MSE surface over (w, b) of one-feature, one-output data, over the given ranges (null: fitted to the
     * trajectories and the minimum), with several trajectories drawn over it, as the seed articles overlay
     * learning rates. x, y: not modified.
     */
    public static HeatMap trajectories(String title, String units, INDArray x, INDArray y, List<List<LinearModel>> runs,
            List<String> labels, double[] wRange, double[] bRange) {
        double[] xv = x.castTo(DataType.DOUBLE).reshape(x.rows()).toDoubleVector();
        double[] yv = y.castTo(DataType.DOUBLE).reshape(y.rows()).toDoubleVector();
        Moments mo = Moments.of(xv, yv);
        double wStar = mo.slope();
        double bStar = mo.sy() - wStar * mo.sx();
        List<double[][]> paths = new ArrayList<>();
        double wlo = wStar;
        double whi = wStar;
        double blo = bStar;
        double bhi = blo;
        for (List<LinearModel> run : runs) {
            double[][] path = new double[run.size()][];
            for (int i = 0; i < path.length; i++) {
                path[i] = new double[] {run.get(i).weights().getDouble(0, 0), run.get(i).bias().getDouble(0)};
                wlo = Math.min(wlo, path[i][0]);
                whi = Math.max(whi, path[i][0]);
                blo = Math.min(blo, path[i][1]);
                bhi = Math.max(bhi, path[i][1]);
            }
            paths.add(path);
        }
        if (wRange == null) {
            double m = Math.max(0.15 * (whi - wlo), 0.1);
            wRange = new double[] {wlo - m, whi + m};
        }
        if (bRange == null) {
            double m = Math.max(0.15 * (bhi - blo), 0.1);
            bRange = new double[] {blo - m, bhi + m};
        }
        double[] ws = new double[GRID];
        double[] bs = new double[GRID];
        for (int i = 0; i < GRID; i++) {
            ws[i] = wRange[0] + (wRange[1] - wRange[0]) * i / (GRID - 1);
            bs[i] = bRange[0] + (bRange[1] - bRange[0]) * i / (GRID - 1);
        }
        double[][] loss = mo.grid(ws, bs);
        return HeatMap.contour(title, "slope w (" + units + ")", "intercept b (" + units + ")", ws, bs, loss, paths, labels, 14);
    }

    private static XYChart fit(double[] x, double[] y, LinearModel m, int epoch, String units) {
        XYChart c = new XYChartBuilder().width(900).height(420)
                .title(String.format(Locale.ROOT, "data and the fitted line after epoch %d: y = %.5g·x %s %.5g", epoch,
                        m.weights().getDouble(0, 0), m.bias().getDouble(0) < 0 ? "−" : "+", Math.abs(m.bias().getDouble(0))))
                .xAxisTitle("x (" + units + ")").yAxisTitle("y (" + units + ")").build();
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        int step = Math.max(1, x.length / 2000); // at most about 2,000 points drawn
        List<Double> px = new ArrayList<>();
        List<Double> py = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i += step) {
            px.add(x[i]);
            py.add(y[i]);
            lo = Math.min(lo, x[i]);
            hi = Math.max(hi, x[i]);
        }
        c.addSeries(step == 1 ? "data" : "data (every " + step + "th row)", px, py).setMarker(SeriesMarkers.CIRCLE);
        double w = m.weights().getDouble(0, 0);
        double b = m.bias().getDouble(0);
        XYSeries line = c.addSeries("fitted line", new double[] {lo, hi}, new double[] {w * lo + b, w * hi + b});
        line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        line.setMarker(SeriesMarkers.NONE);
        return c;
    }

    /** An animated GIF: one frame per panel list, {@code delayMs} apart, looping. */
    public static void gif(List<List<Plots.Panel>> frames, Path file, int delayMs) throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        for (List<Plots.Panel> f : frames) {
            images.add(Plots.render(f));
        }
        AtomicFiles.writeVia(file, tmp -> org.knowm.xchart.GifEncoder.saveGif(tmp.toString(), images, 0, delayMs));
    }
}

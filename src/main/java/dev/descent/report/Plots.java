package dev.descent.report;

import dev.descent.data.AtomicFiles;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts (XChart), written atomically. */
public final class Plots {
    private Plots() {
    }

    /** A named curve: y against x. */
    public record Curve(String name, double[] x, double[] y) {
    }

    /**
     * A line chart with markers.
     *
     * @param logY log-scale y axis: values ≤ 0 are drawn at {@code floor} (say so in the series name)
     */
    public static XYChart lines(String title, String xLabel, String yLabel, List<Curve> curves, boolean logY, double floor) {
        XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        Styler st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.InsideNE);
        st.setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setYAxisLogarithmic(logY);
        for (Curve c : curves) {
            double[] y = c.y().clone();
            if (logY) {
                for (int i = 0; i < y.length; i++) {
                    y[i] = y[i] > 0 ? y[i] : floor;
                }
            }
            XYSeries s = chart.addSeries(c.name(), c.x(), y);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        // XChart puts the ticks of equally spaced x values on data points, and with many points their labels
        // run together ("101111121131..."). Half a step of room past the last point makes the values no
        // longer equally spaced for it, and it picks round 1, 2, 5 × 10ᵏ steps instead.
        if (!curves.isEmpty() && curves.get(0).x().length > 12 && equallySpaced(curves.get(0).x())) {
            double[] x = curves.get(0).x();
            chart.getStyler().setXAxisMax(x[x.length - 1] + (x[1] - x[0]) / 2);
        }
        return chart;
    }

    private static boolean equallySpaced(double[] x) {
        double d = x[1] - x[0];
        for (int i = 2; i < x.length; i++) {
            if (Math.abs(x[i] - x[i - 1] - d) > 1e-9 * Math.abs(d)) {
                return false;
            }
        }
        return true;
    }

    /** Something that paints itself into a rectangle of the given size. */
    public interface Panel {
        void paint(java.awt.Graphics2D g, int width, int height);

        int width();

        int height();

        static Panel of(XYChart c) {
            return new Panel() {
                public void paint(java.awt.Graphics2D g, int w, int h) {
                    c.paint(g, w, h);
                }

                public int width() {
                    return c.getWidth();
                }

                public int height() {
                    return c.getHeight();
                }
            };
        }

        static Panel of(HeatMap m, int width, int height) {
            return new Panel() {
                public void paint(java.awt.Graphics2D g, int w, int h) {
                    m.paint(g, w, h);
                }

                public int width() {
                    return width;
                }

                public int height() {
                    return height;
                }
            };
        }
    }

    /** Saves charts stacked vertically in one PNG, via a temporary file and rename. */
    public static void savePngStack(List<XYChart> charts, Path file) throws IOException {
        saveStack(charts.stream().map(Panel::of).toList(), file, false);
    }

    /** Panels stacked vertically, as PNG ({@code svg} false) or SVG, written atomically. */
    public static void saveStack(List<Panel> panels, Path file, boolean svg) throws IOException {
        int w = panels.stream().mapToInt(Panel::width).max().orElse(1);
        int h = panels.stream().mapToInt(Panel::height).sum();
        if (svg) {
            de.erichseifert.vectorgraphics2d.VectorGraphics2D g = new de.erichseifert.vectorgraphics2d.VectorGraphics2D();
            paintStack(g, panels);
            var doc = de.erichseifert.vectorgraphics2d.Processors.get("svg")
                    .getDocument(g.getCommands(), new de.erichseifert.vectorgraphics2d.util.PageSize(0, 0, w, h));
            AtomicFiles.write(file, doc::writeTo);
            return;
        }
        java.awt.image.BufferedImage img = render(panels);
        AtomicFiles.write(file, out -> javax.imageio.ImageIO.write(img, "png", out));
    }

    /** Panels stacked vertically into an image. */
    public static java.awt.image.BufferedImage render(List<Panel> panels) {
        int w = panels.stream().mapToInt(Panel::width).max().orElse(1);
        int h = panels.stream().mapToInt(Panel::height).sum();
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        paintStack(g, panels);
        g.dispose();
        return img;
    }

    private static void paintStack(java.awt.Graphics2D g, List<Panel> panels) {
        int y = 0;
        for (Panel p : panels) {
            java.awt.Graphics2D sub = (java.awt.Graphics2D) g.create(0, y, p.width(), p.height());
            p.paint(sub, p.width(), p.height());
            sub.dispose();
            y += p.height();
        }
    }

    /** Saves a chart as PNG via a temporary file and rename. */
    public static void savePng(XYChart chart, Path file) throws IOException {
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}

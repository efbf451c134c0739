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
        return chart;
    }

    /** Saves charts stacked vertically in one PNG, via a temporary file and rename. */
    public static void savePngStack(List<XYChart> charts, Path file) throws IOException {
        int w = charts.stream().mapToInt(XYChart::getWidth).max().orElse(1);
        int h = charts.stream().mapToInt(XYChart::getHeight).sum();
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        int y = 0;
        for (XYChart c : charts) {
            java.awt.Graphics2D sub = (java.awt.Graphics2D) g.create(0, y, c.getWidth(), c.getHeight());
            c.paint(sub, c.getWidth(), c.getHeight());
            sub.dispose();
            y += c.getHeight();
        }
        g.dispose();
        AtomicFiles.write(file, out -> javax.imageio.ImageIO.write(img, "png", out));
    }

    /** Saves a chart as PNG via a temporary file and rename. */
    public static void savePng(XYChart chart, Path file) throws IOException {
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}

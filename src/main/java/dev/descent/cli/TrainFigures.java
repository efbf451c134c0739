package dev.descent.cli;

import dev.descent.engine.Trainer;
import dev.descent.engine.TrainingResult;
import dev.descent.model.LinearModel;
import dev.descent.optim.Optimizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The figures of a training run: the loss curves, for small models the parameters over the epochs, and for
 * one feature and one output the path on the loss surface (and its animation), with the per-epoch models
 * they need.
 */
final class TrainFigures {
    private TrainFigures() {
    }

    /** Models with at most this many parameters have them recorded per epoch (history.csv, params.png). */
    static final int SMALL_MODEL = 12;

    static boolean small(DataOptions.Prepared d) {
        return (d.inputs() + 1) * d.outputs() <= SMALL_MODEL;
    }

    /** The model after each epoch (the initial model first), kept only for small models. */
    static final class Trajectory implements dev.descent.engine.TrainingListener {
        final java.util.List<LinearModel> models = new java.util.ArrayList<>();
        final boolean keep;

        Trajectory(boolean keep, LinearModel initial) {
            this.keep = keep;
            if (keep) {
                models.add(initial);
            }
        }

        @Override
        public boolean wantsModel() {
            return keep;
        }

        @Override
        public void onEpochModel(int epoch, LinearModel model) {
            models.add(model);
        }
    }

    /** Draws the run's figures; one that fails is reported on {@code err} and skipped. Returns the files written. */
    static java.util.List<String> figures(Path dir, DataOptions.Prepared d, Optimizer optimizer, Trainer.Config config,
            TrainingResult result, java.util.List<LinearModel> trajectory, Integer plotEpoch, boolean animate, PrintWriter err) {
        java.util.List<String> wrote = new java.util.ArrayList<>();
        if (result.history().isEmpty()) {
            return wrote;
        }
        try {
            drawFigures(dir, d, optimizer, config, result, trajectory, plotEpoch, animate, wrote);
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            err.println("train: a figure could not be drawn (" + e + "); the results above are written");
            err.flush();
        }
        return wrote;
    }

    private static void drawFigures(Path dir, DataOptions.Prepared d, Optimizer optimizer, Trainer.Config config,
            TrainingResult result, java.util.List<LinearModel> trajectory, Integer plotEpoch, boolean animate,
            java.util.List<String> wrote) throws IOException {
        String what = String.format(Locale.ROOT, "%s (N=%,d, nX=%d, nY=%d), %s, batch %d", shortSource(d), d.train().size(),
                d.inputs(), d.outputs(), compact(optimizer), config.batchFor(d.train().size()));
        var loss = dev.descent.report.TrainingFigures.lossCurves(what, d.scaled() ? "scaled units" : "squared data units", result.history());
        dev.descent.report.Plots.savePng(loss, dir.resolve("loss.png"));
        dev.descent.report.Plots.saveStack(java.util.List.of(dev.descent.report.Plots.Panel.of(loss)), dir.resolve("loss.svg"), true);
        wrote.add("loss.png/svg");
        if (trajectory.size() >= 2) { // W and B over the epochs, as seed 003 draws them
            java.util.List<dev.descent.report.Plots.Curve> curves = new java.util.ArrayList<>();
            int stride = Math.max(1, (trajectory.size() + 1999) / 2000); // at most about 2,000 points a line
            double[] ep = new double[(trajectory.size() + stride - 1) / stride];
            double[][] thetas = new double[ep.length][];
            for (int e = 0; e < ep.length; e++) {
                ep[e] = (double) e * stride;
                thetas[e] = trajectory.get(e * stride).stacked().castTo(DataType.DOUBLE).data().asDouble();
            }
            LinearModel m0 = trajectory.get(0);
            for (int q = 0; q < (m0.inputs() + 1) * m0.outputs(); q++) {
                double[] v = new double[ep.length];
                for (int e = 0; e < ep.length; e++) {
                    v[e] = thetas[e][q];
                }
                long row = q / m0.outputs();
                long col = q % m0.outputs();
                curves.add(new dev.descent.report.Plots.Curve(row < m0.inputs() ? "w" + row + "_" + col : "b" + col, ep, v));
            }
            var params = dev.descent.report.Plots.lines("parameters after each epoch (epoch 0: the start): " + what, "epoch",
                    d.scaled() ? "value (scaled units)" : "value", curves, false, 0);
            dev.descent.report.Plots.savePng(params, dir.resolve("params.png"));
            dev.descent.report.Plots.saveStack(java.util.List.of(dev.descent.report.Plots.Panel.of(params)), dir.resolve("params.svg"),
                    true);
            wrote.add("params.png/svg");
        }
        if (trajectory.size() < 2 || d.inputs() != 1 || d.outputs() != 1) {
            return;
        }
        String units = d.scaled() ? "scaled units" : "data units";
        int at = plotEpoch == null ? trajectory.size() : Math.max(1, Math.min(trajectory.size(), plotEpoch + 1));
        var surface = dev.descent.report.TrainingFigures.surface("MSE over (w, b): " + what, units,
                d.train().x(), d.train().y(), trajectory);
        var panels = surface.panels(at);
        dev.descent.report.Plots.saveStack(panels, dir.resolve("surface.png"), false);
        dev.descent.report.Plots.saveStack(panels, dir.resolve("surface.svg"), true);
        wrote.add("surface.png/svg");
        if (animate) {
            java.util.List<java.util.List<dev.descent.report.Plots.Panel>> frames = new java.util.ArrayList<>();
            int stride = Math.max(1, (trajectory.size() + 119) / 120);
            for (int k = 1; k <= trajectory.size(); k += stride) {
                frames.add(surface.panels(k));
            }
            dev.descent.report.TrainingFigures.gif(frames, dir.resolve("surface.gif"), 250);
            wrote.add("surface.gif");
        }
    }

    /** "ema lr=0.5 momentum=0.8" (the schedule named only when it is not constant). */
    static String compact(Optimizer o) {
        StringBuilder b = new StringBuilder(o.name());
        o.hyperparameters().forEach((k, v) -> {
            if (!k.equals("optimizer") && !(k.equals("schedule") && v.equals("constant"))) {
                b.append(' ').append(k).append('=').append(v);
            }
        });
        return b.toString();
    }

    private static String shortSource(DataOptions.Prepared d) {
        String s = String.valueOf(d.record().get("source"));
        return s.contains("/") ? s.substring(s.lastIndexOf('/') + 1) : s;
    }
}

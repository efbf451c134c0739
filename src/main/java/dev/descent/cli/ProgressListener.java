package dev.descent.cli;

import dev.descent.engine.EpochStats;
import dev.descent.engine.TrainingInfo;
import dev.descent.engine.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Prints one line per epoch and, on a terminal, a progress bar per epoch (on stderr) with rows/s and
 * ETA. Without a terminal (pipes, CI) only the epoch lines are printed.
 */
final class ProgressListener implements TrainingListener {
    private final PrintWriter out;
    private final boolean bar;
    private ProgressBar current;
    private TrainingInfo info;
    private long epochStart; // nanoTime of the epoch's first progress report, 0 between epochs
    /** An epoch shorter than this shows no bar: it would only flash "0:00:00 / 0:00:00, ? rows/s". */
    private static final long BAR_AFTER_NANOS = 500_000_000L;

    ProgressListener(PrintWriter out, boolean bar) {
        this.out = out;
        this.bar = bar;
    }

    @Override
    public void onStart(TrainingInfo info) {
        this.info = info;
    }

    @Override
    public void onProgress(int epoch, long rowsDone, long rowsPerEpoch) {
        if (!bar) {
            return;
        }
        if (epochStart == 0) {
            epochStart = System.nanoTime();
        }
        if (current == null && System.nanoTime() - epochStart < BAR_AFTER_NANOS) {
            return;
        }
        if (current == null) {
            current = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, info.epochs()))
                    .setInitialMax(rowsPerEpoch)
                    .setUnit(" rows", 1)
                    .showSpeed()
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .clearDisplayOnFinish()
                    .build();
        }
        current.stepTo(rowsDone);
    }

    @Override
    public void onEpoch(EpochStats s) {
        epochStart = 0;
        if (current != null) {
            current.close();
            current = null;
        }
        out.printf(Locale.ROOT, "epoch %4d/%d  train loss %-12.6g%s  %7.3f s  %,.0f samples/s%n", s.epoch() + 1,
                info.epochs(), s.trainLoss(),
                Double.isNaN(s.testLoss()) ? "" : String.format(Locale.ROOT, "  test loss %-12.6g", s.testLoss()),
                s.seconds(), s.samplesPerSecond());
        out.flush();
    }
}

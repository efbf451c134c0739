package dev.descent.cli;

import dev.descent.model.Metrics;
import dev.descent.model.ModelStore;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code descent evaluate}: MSE, RMSE, MAE and R² of a saved model on a dataset. */
@Command(name = "evaluate", header = "MSE, RMSE, MAE and R² of a saved model on a data file.",
        description = "Prints MSE, RMSE, MAE and R² (mean over outputs, as scikit-learn's r2_score) of a saved model on a data file.")
final class EvaluateCommand extends DescentCommand {

    @Mixin
    ModelDataOptions in = new ModelDataOptions();

    @Override
    public Integer call() throws Exception {
        ModelStore.Saved m = in.loadModel();
        var d = in.load(m, true).data();
        Metrics s = Metrics.of(m.model().predict(d.x()), d.y());
        PrintWriter out = out();
        out.printf(Locale.ROOT, "rows %d  MSE %.8g  RMSE %.8g  MAE %.8g  R² %.8f%n", d.size(), s.mse(), s.rmse(), s.mae(), s.r2());
        out.flush();
        return ExitCodes.OK;
    }
}

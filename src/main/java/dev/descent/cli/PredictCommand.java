package dev.descent.cli;

import dev.descent.data.Npy;
import dev.descent.model.ModelStore;
import dev.descent.report.RunFiles;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code descent predict}: y = X·W + B for a saved model. */
@Command(name = "predict", header = "Predictions of a saved model for the rows of a data file.",
        description = "Writes predictions y = X·W + B of a saved model for the rows of a data file (.csv or .npy by the output's extension).")
final class PredictCommand extends DescentCommand {

    @Mixin
    ModelDataOptions in = new ModelDataOptions();

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Predictions: .csv (header from the model's target names) or .npy.")
    Path output;

    @Option(names = "--overwrite", description = "Replace --output if it exists.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        String ext = output.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (!ext.endsWith(".csv") && !ext.endsWith(".npy")) {
            throw new IllegalArgumentException("--output must end in .csv or .npy, got " + output);
        }
        ModelStore.Saved m = in.loadModel();
        Path target = output.toAbsolutePath().normalize();
        if (in.file != null && DataOptions.sameFile(output, in.file)) {
            throw new IllegalArgumentException("--output " + output + " is the input data file; predictions go to another file");
        }
        if (in.model != null && target.startsWith(in.model.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--output " + output + " is inside the model directory " + in.model
                    + "; predictions go elsewhere");
        }
        if (Files.exists(output) && !overwrite) {
            throw new IllegalArgumentException("--output " + output + " exists; use --overwrite to replace it");
        }
        INDArray x = in.load(m, false).x();
        INDArray p = m.model().predict(x);
        if (ext.endsWith(".npy")) {
            Npy.write(output, p);
        } else {
            List<String> names = new ArrayList<>();
            for (int k = 0; k < p.columns(); k++) {
                names.add(m.meta().path("targets").path(k).asText("y" + k));
            }
            RunFiles.writeCsv(output, names, p);
        }
        PrintWriter out = out();
        out.printf("wrote %d predictions to %s%n", p.rows(), output);
        out.flush();
        return ExitCodes.OK;
    }
}

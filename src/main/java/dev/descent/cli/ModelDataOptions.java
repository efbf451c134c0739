package dev.descent.cli;

import dev.descent.data.CsvLoader;
import dev.descent.data.DataFiles;
import dev.descent.data.DataFormatException;
import dev.descent.model.ModelStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Option;

/** --model and --data for predict and evaluate: the data read with the model's own columns and dtype. */
final class ModelDataOptions {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A model directory written by train (its model/ folder).")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Data: .csv/.tsv/.txt (columns by the model's names), .npz or .npy.")
    Path file;

    @picocli.CommandLine.Mixin
    FileFormatOptions format = new FileFormatOptions();

    ModelStore.Saved loadModel() throws IOException {
        return ModelStore.load(model);
    }

    /** Reads --data with the model's feature columns, and its target columns when {@code targets}. */
    CsvLoader.Loaded load(ModelStore.Saved m, boolean targets) throws IOException {
        List<String> f = new ArrayList<>();
        List<String> t = new ArrayList<>();
        int nx = (int) m.model().inputs();
        int ny = (int) m.model().outputs();
        for (int i = 0; i < nx; i++) {
            f.add(format.noHeader ? String.valueOf(i) : m.meta().path("features").path(i).asText(String.valueOf(i)));
        }
        for (int i = 0; targets && i < ny; i++) {
            t.add(format.noHeader ? String.valueOf(nx + i) : m.meta().path("targets").path(i).asText(String.valueOf(nx + i)));
        }
        CsvLoader.Options csv = new CsvLoader.Options(format.delimiter(file), !format.noHeader, t, f, m.model().dataType(), false);
        CsvLoader.Loaded l = DataFiles.load(file, new DataFiles.Spec(csv, format.fileY, format.xName, targets ? format.yName : null));
        if (l.x().columns() != nx) {
            throw new DataFormatException(file + ": " + l.x().columns() + " feature columns but the model takes " + nx);
        }
        if (targets && (l.y() == null || l.y().columns() != ny)) {
            throw new DataFormatException(file + ": " + (l.y() == null ? "no targets (give --data-y)" : l.y().columns()
                    + " target columns but the model has " + ny));
        }
        return l;
    }

    static String dtype(DataType t) {
        return DtypeConverter.name(t);
    }
}

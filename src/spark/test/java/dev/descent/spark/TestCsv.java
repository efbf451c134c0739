package dev.descent.spark;

import dev.descent.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The cluster tests' CSV files: rows of X and Y under a header, as Java prints their doubles (exactly). */
public final class TestCsv {
    private TestCsv() {
    }

    /** Writes {@code rows} (X then Y on each line) to {@code file} under {@code header}; returns the file. */
    public static Path write(Path file, String header, Dataset rows) throws IOException {
        int nx = rows.inputs();
        int ny = rows.outputs();
        double[] x = rows.x().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        double[] y = rows.y().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        StringBuilder csv = new StringBuilder(header).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < nx; j++) {
                csv.append(x[i * nx + j]).append(',');
            }
            for (int k = 0; k < ny; k++) {
                csv.append(y[i * ny + k]).append(k + 1 < ny ? ',' : '\n');
            }
        }
        return Files.writeString(file, csv);
    }
}

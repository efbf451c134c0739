package dev.descent.cli;

import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** How a data file is read: CSV delimiter and header, .npz array names, the targets' .npy. */
final class FileFormatOptions {
    @Option(names = "--data-y", paramLabel = "FILE", description = "Targets .npy when --data is an inputs .npy.")
    Path fileY;

    @Option(names = "--delimiter", converter = DelimiterConverter.class, description = "CSV field separator, one character or \\t (default: ',', or tab for .tsv).")
    Character delimiter;

    @Option(names = "--no-header", description = "The CSV's first line is data, not column names (predict and evaluate then take the first nX columns as features, the next nY as targets).")
    boolean noHeader;

    @Option(names = "--x-name", description = "Inputs array in a .npz (default: ${DEFAULT-VALUE}).")
    String xName = "X";

    @Option(names = "--y-name", description = "Targets array in a .npz (default: ${DEFAULT-VALUE}).")
    String yName = "y";

    /** --delimiter, else a tab for a .tsv file and a comma otherwise. */
    char delimiter(Path file) {
        if (delimiter != null) {
            return delimiter;
        }
        return file != null && file.toString().toLowerCase(Locale.ROOT).endsWith(".tsv") ? '\t' : ',';
    }
}

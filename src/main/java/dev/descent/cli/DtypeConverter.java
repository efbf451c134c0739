package dev.descent.cli;

import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine;

/** {@code float32|float64} (also {@code float|double}) to an ND4J data type. */
final class DtypeConverter implements CommandLine.ITypeConverter<DataType> {
    @Override
    public DataType convert(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "float32", "float", "f32" -> DataType.FLOAT;
            case "float64", "double", "f64" -> DataType.DOUBLE;
            default -> throw new CommandLine.TypeConversionException("expected float32 or float64, got '" + s + "'");
        };
    }

    static String name(DataType t) {
        return t == DataType.DOUBLE ? "float64" : "float32";
    }
}

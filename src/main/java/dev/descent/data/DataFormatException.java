package dev.descent.data;

/**
 * Bad input data, with a message that names the file and, where known, the line and column or the
 * array, and says what was expected. One line; the command line prints it and exits with code 2.
 */
public final class DataFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Control characters from the input (a newline in an echoed header, say) are shown as '?'. */
    public DataFormatException(String message) {
        super(oneLine(message));
    }

    static String oneLine(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }
}

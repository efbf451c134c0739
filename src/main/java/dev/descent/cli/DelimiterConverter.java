package dev.descent.cli;

import picocli.CommandLine;

/** One character, or {@code \t} / {@code tab} for a tab. */
final class DelimiterConverter implements CommandLine.ITypeConverter<Character> {
    @Override
    public Character convert(String s) {
        if (s.equals("\\t") || s.equalsIgnoreCase("tab")) {
            return '\t';
        }
        if (s.length() != 1 || s.charAt(0) == '\n' || s.charAt(0) == '\r' || s.charAt(0) == '"') {
            throw new CommandLine.TypeConversionException("expected one character (or \\t for a tab; not a quote or newline), got '"
                    + s + "'");
        }
        return s.charAt(0);
    }
}

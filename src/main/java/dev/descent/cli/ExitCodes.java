package dev.descent.cli;

/** The process exit codes. */
public final class ExitCodes {
    private ExitCodes() {
    }

    public static final int OK = 0;
    /** An unexpected internal error (a bug): reported in one line, details with DESCENT_DEBUG=1. */
    public static final int INTERNAL = 1;
    /** Bad input: an option, a value or a file the user gave. */
    public static final int BAD_INPUT = 2;
    /** Training diverged (NaN/Inf or runaway loss). */
    public static final int DIVERGED = 3;
    /** compare: the engine and DL4J disagree beyond the parity bound. */
    public static final int PARITY_FAILED = 4;
}

/**
 * The {@code descent} command line: one picocli command per subcommand, thin (parse options, call the
 * library, print). Bad input ends in a one-line error and exit code 2, a diverged run in exit code 3.
 */
package dev.descent.cli;

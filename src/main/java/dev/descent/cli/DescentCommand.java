package dev.descent.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every descent command has: its picocli spec, and its output and error streams (every command has --help and --version and lists its options in the order they are declared;
 * the subclass's @Command names and describes it). */
@picocli.CommandLine.Command(mixinStandardHelpOptions = true, sortOptions = false)
abstract class DescentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Standard output (results, progress lines). */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Standard error (the one-line errors, interruptions). */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}

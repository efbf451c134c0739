package dev.descent.cli;

import picocli.CommandLine.Mixin;

/** A command that reads training data: a file or seeded synthetic data ({@link DataOptions}, listed first in its help). */
@picocli.CommandLine.Command
abstract class DataCommand extends DescentCommand {
    @Mixin
    DataOptions data = new DataOptions();
}

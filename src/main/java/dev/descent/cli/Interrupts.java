package dev.descent.cli;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT (Ctrl-C) and SIGTERM while training: the first asks the run to stop at its next step boundary
 * (it then writes its checkpoint and results and says how to resume); a second one ends the process at
 * once, as without this handler. The previous handlers are restored on {@link #close}.
 */
final class Interrupts implements AutoCloseable {
    private static final List<String> SIGNALS = List.of("INT", "TERM");
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private volatile String received;

    private Interrupts(Runnable onFirst) {
        for (String name : SIGNALS) {
            Signal s = new Signal(name);
            SignalHandler[] before = new SignalHandler[1];
            before[0] = Signal.handle(s, sig -> {
                if (received == null) {
                    received = sig.getName();
                    onFirst.run();
                } else {
                    Signal.handle(sig, before[0]); // a second signal: what it would have done without us
                    Signal.raise(sig);
                }
            });
            signals.add(s);
            previous.add(before[0]);
        }
    }

    /** Installs the handlers; {@code onFirst} runs (on the signal's thread) for the first signal. */
    static Interrupts install(Runnable onFirst) {
        return new Interrupts(onFirst);
    }

    /** "INT" or "TERM" once a signal arrived, else null. */
    String received() {
        return received;
    }

    /** The conventional exit code for the signal received: 128 + its number (130 for INT, 143 for TERM). */
    int exitCode() {
        return "TERM".equals(received) ? 143 : 130;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}

package netbook.train;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Events of long work (training, evaluation, recipes), for front ends to show: a terminal prints
 * a progress line, the Jupyter kernel updates a display in place. Every method has a no-op default.
 * <pre>Progress.setDefault(MyNotebookProgress::new);   // every later fit() reports to it</pre>
 */
public interface Progress {
    /** Work begins: {@code epochs} epochs of {@code stepsPerEpoch} steps each. */
    default void start(String what, int epochs, int stepsPerEpoch) {}

    /** A training step ended with this loss (1-based epoch and step). */
    default void step(int epoch, int step, double loss) {}

    /** An epoch ended; {@code metrics} holds that epoch's row of the metrics table. */
    default void epoch(int epoch, Map<String, Object> metrics) {}

    /** Work ended, normally or not. */
    default void end() {}

    /** A progress line on standard error, redrawn in place. */
    static Progress terminal() {
        return new TerminalProgress();
    }

    static Progress none() {
        return new Progress() {};
    }

    /** What {@code fit()} uses when none is given: the terminal, unless a front end set another. */
    static Progress current() {
        return Defaults.factory.get();
    }

    /** Lets a front end (the kernel) choose the progress display of every later run. */
    static void setDefault(Supplier<Progress> factory) {
        Defaults.factory = factory == null ? TerminalProgress::new : factory;
    }

    /** Holder of the default factory. */
    final class Defaults {
        private static volatile Supplier<Progress> factory = TerminalProgress::new;

        private Defaults() {}
    }
}

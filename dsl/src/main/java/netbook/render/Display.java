package netbook.render;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows a value as rich output from cell code: in the Jupyter kernel as display_data (a table as
 * HTML, a plot as SVG), elsewhere ({@code ./netbook jshell}, recipes) as text on standard output.
 * The same code runs in both.
 * <pre>
 * String id = display(table);          // shown now
 * updateDisplay(id, biggerTable);      // replaced in place
 * </pre>
 */
public final class Display {
    /** Where displayed values go; the kernel installs one that publishes display_data. */
    public interface Sink {
        /** Shows {@code value} under the display id {@code id}. */
        void display(Object value, String id);

        /** Replaces what was shown under {@code id}. */
        void update(Object value, String id);

        /** Clears the output shown so far (at once, or when the next output arrives if {@code wait}). */
        default void clear(boolean wait) {}
    }

    private static final AtomicLong IDS = new AtomicLong();
    private static final Sink TEXT = new Sink() {
        @Override
        public void display(Object value, String id) {
            System.out.println(value);
        }

        @Override
        public void update(Object value, String id) {
            System.out.println(value);
        }
    };
    private static volatile Sink sink = TEXT;

    private Display() {}

    /** Shows {@code value} and returns its display id, for {@link #updateDisplay}. */
    public static String display(Object value) {
        String id = newId();
        sink.display(value, id);
        return id;
    }

    /** Replaces the output shown under {@code id} by {@code value}. */
    public static void updateDisplay(String id, Object value) {
        sink.update(value, Objects.requireNonNull(id, "id"));
    }

    /** Clears the cell's output so far; with {@code wait}, only when the next output arrives (no flicker). */
    public static void clearOutput(boolean wait) {
        sink.clear(wait);
    }

    /** A fresh display id. */
    public static String newId() {
        return "netbook-" + ProcessHandle.current().pid() + "-" + IDS.incrementAndGet();
    }

    /** Installs a front end's sink; {@code null} restores text on standard output. */
    public static void setSink(Sink newSink) {
        sink = newSink == null ? TEXT : newSink;
    }
}

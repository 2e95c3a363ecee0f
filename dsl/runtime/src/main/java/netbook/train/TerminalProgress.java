package netbook.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** Redraws one line on standard error at most a few times a second; prints each epoch's metrics. */
final class TerminalProgress implements Progress {
    private final PrintStream out = System.err;
    /** Redrawing with carriage returns only makes sense on a terminal; logs get the epoch lines. */
    private final boolean live = System.console() != null;
    private String what = "";
    private int epochs;
    private int steps;
    private long started;
    private long lastDraw;

    @Override
    public void start(String what, int epochs, int stepsPerEpoch) {
        this.what = what;
        this.epochs = epochs;
        this.steps = stepsPerEpoch;
        this.started = System.nanoTime();
    }

    @Override
    public void step(int epoch, int step, double loss) {
        long now = System.nanoTime();
        if (!live || now - lastDraw < 250_000_000L && step != steps) {
            return;
        }
        lastDraw = now;
        int width = 24;
        int filled = steps == 0 ? width : (int) ((long) width * step / steps);
        out.printf(Locale.ROOT, "\r%s epoch %d/%d [%s%s] %d/%d loss %.4f %.0fs", what, epoch, epochs,
                "=".repeat(filled), " ".repeat(width - filled), step, steps, loss, (now - started) / 1e9);
        out.flush();
    }

    @Override
    public void epoch(int epoch, Map<String, Object> metrics) {
        StringBuilder sb = new StringBuilder();
        metrics.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : v));
        out.printf(Locale.ROOT, (live ? "\r" : "") + "%s epoch %d/%d:%s%n", what, epoch, epochs, sb);
        out.flush();
    }
}

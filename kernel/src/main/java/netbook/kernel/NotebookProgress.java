package netbook.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import netbook.render.Display;
import netbook.render.Html;
import netbook.render.LinePlot;
import netbook.train.Progress;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * Training progress in a notebook: one output that is updated in place (update_display_data under
 * one display id) with a progress bar, the latest loss, the loss curve (inline SVG while it runs,
 * a PNG image once done) and the metrics of the finished epochs. Redraws at most every {@link #REDRAW_MS} ms, and always at the
 * end of an epoch and of the run; the curve has at most {@link #CURVE_POINTS} points, so an update
 * stays the same size however long the run.
 */
final class NotebookProgress implements Progress {
    static final long REDRAW_MS = 250;

    private final NetbookKernel kernel;
    private final String id = Display.newId();
    private final List<Double> steps = new ArrayList<>();
    private final List<Double> losses = new ArrayList<>();
    private final List<Map<String, Object>> epochs = new ArrayList<>();
    private String what = "training";
    private int totalEpochs;
    private int stepsPerEpoch;
    private int epoch;
    private int step;
    private long started;
    private long lastDraw;
    private boolean shown;
    private boolean done;

    NotebookProgress(NetbookKernel kernel) {
        this.kernel = kernel;
    }

    /** The display id this progress updates. */
    String displayId() {
        return id;
    }

    @Override
    public synchronized void start(String what, int epochs, int stepsPerEpoch) {
        this.what = what;
        this.totalEpochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
        this.started = System.nanoTime();
        draw(true);
    }

    @Override
    public synchronized void step(int epoch, int step, double loss) {
        this.epoch = epoch;
        this.step = step;
        steps.add((double) ((epoch - 1) * (long) Math.max(1, stepsPerEpoch) + step));
        losses.add(loss);
        draw(false);
    }

    @Override
    public synchronized void epoch(int epoch, Map<String, Object> metrics) {
        this.epoch = epoch;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch);
        row.putAll(metrics);
        epochs.add(row);
        draw(true);
    }

    @Override
    public synchronized void end() {
        done = true;
        draw(true);
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        if (!force && shown && now - lastDraw < REDRAW_MS * 1_000_000L) {
            return;
        }
        lastDraw = now;
        DisplayData d = new DisplayData();
        d.putText(text());
        d.putHTML(html());
        kernel.publishDisplay(d, id, shown);
        shown = true;
    }

    /** Points the drawn curve has at most: each update then costs the same, however long the run. */
    static final int CURVE_POINTS = 200;

    /**
     * The loss curve to draw: every step while there are few, else the mean step and mean loss of
     * {@link #CURVE_POINTS} equal runs of steps, so a 100,000-step run does not resend 100,000
     * points four times a second.
     */
    double[][] curve() {
        int n = losses.size();
        int points = Math.min(n, CURVE_POINTS);
        double[] x = new double[points];
        double[] y = new double[points];
        for (int b = 0; b < points; b++) {
            int from = (int) ((long) b * n / points);
            int to = (int) ((long) (b + 1) * n / points);
            for (int i = from; i < to; i++) {
                x[b] += steps.get(i) / (to - from);
                y[b] += losses.get(i) / (to - from);
            }
        }
        return new double[][] {x, y};
    }

    private String text() {
        String loss = losses.isEmpty() ? "" : String.format(Locale.ROOT, " loss %.4f", losses.get(losses.size() - 1));
        return String.format(Locale.ROOT, "%s epoch %d/%d step %d/%d%s %.1fs%s", what, epoch, totalEpochs, step,
                stepsPerEpoch, loss, seconds(), done ? " done" : "");
    }

    private double seconds() {
        return started == 0 ? 0 : (System.nanoTime() - started) / 1e9;
    }

    /**
     * The last drawing stays in the saved notebook, so it carries the curve as a PNG image:
     * untrusted notebooks and exported pages strip inline SVG from HTML. Live updates keep the
     * SVG, which is cheaper to redraw four times a second.
     */
    private static String finalCurve(String svg) {
        try {
            return netbook.render.SvgRaster.toPng(svg, 2).html(420, 200, "training loss");
        } catch (RuntimeException e) {
            return svg;
        }
    }

    String html() {
        long total = (long) Math.max(1, totalEpochs) * Math.max(1, stepsPerEpoch);
        long doneSteps = epoch == 0 ? 0 : (long) (epoch - 1) * Math.max(1, stepsPerEpoch) + step;
        if (done) {
            doneSteps = Math.max(doneSteps, total);
        }
        StringBuilder sb = new StringBuilder("<div class=\"netbook-progress\">");
        sb.append("<div><b>").append(Html.escape(what)).append("</b> ");
        sb.append(String.format(Locale.ROOT, "<progress value=\"%d\" max=\"%d\" style=\"width:240px\"></progress> ", doneSteps, total));
        sb.append(Html.escape(text().substring(what.length()).strip())).append("</div>");
        if (losses.size() > 1) {
            double[][] xy = curve();
            String svg = LinePlot.titled("training loss").xLabel("step").series("loss", xy[0], xy[1]).size(420, 200).toSvg();
            sb.append(done ? finalCurve(svg) : svg);
        }
        if (!epochs.isEmpty()) {
            sb.append("<table style=\"font-size:12px\"><tr>");
            epochs.get(0).keySet().forEach(k -> sb.append("<th style=\"padding:0 6px\">").append(Html.escape(k)).append("</th>"));
            sb.append("</tr>");
            for (Map<String, Object> row : epochs) {
                sb.append("<tr>");
                row.values().forEach(v -> sb.append("<td style=\"text-align:right;padding:0 6px\">")
                        .append(Html.escape(v instanceof Double dv ? String.format(Locale.ROOT, "%.4f", dv) : String.valueOf(v)))
                        .append("</td>"));
                sb.append("</tr>");
            }
            sb.append("</table>");
        }
        return sb.append("</div>").toString();
    }
}

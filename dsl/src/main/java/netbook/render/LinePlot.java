package netbook.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line plot drawn as standalone SVG in pure Java: axes with round ticks, one polyline per series,
 * a legend. Works offline (no scripts, no fonts to fetch). Shown as an image in Jupyter.
 * <pre>
 * LinePlot.titled("loss").xLabel("step").series("train", steps, losses).toSvg();
 * </pre>
 */
public final class LinePlot {
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};

    /** One named line. */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length + " y values");
            }
        }
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final int width;
    private final int height;
    private final List<Series> series;

    private LinePlot(String title, String xLabel, String yLabel, int width, int height, List<Series> series) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.width = width;
        this.height = height;
        this.series = List.copyOf(series);
    }

    /** An empty plot with a title. */
    public static LinePlot titled(String title) {
        return new LinePlot(title, "", "", 480, 260, List.of());
    }

    public LinePlot xLabel(String label) { return new LinePlot(title, label, yLabel, width, height, series); }
    public LinePlot yLabel(String label) { return new LinePlot(title, xLabel, label, width, height, series); }
    /** Size in pixels (default 480 x 260). */
    public LinePlot size(int w, int h) { return new LinePlot(title, xLabel, yLabel, w, h, series); }

    /** Adds a series; {@code x} and {@code y} have the same length. */
    public LinePlot series(String name, double[] x, double[] y) {
        List<Series> s = new ArrayList<>(series);
        s.add(new Series(name, x.clone(), y.clone()));
        return new LinePlot(title, xLabel, yLabel, width, height, s);
    }

    /** Adds a series plotted against 1, 2, 3, ... */
    public LinePlot series(String name, double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return series(name, x, y);
    }

    public List<Series> allSeries() { return series; }
    public String title() { return title; }

    /** The plot as an {@code <svg>} element. */
    /** The same figure as a PNG (drawn from the SVG with Java2D), for viewers that show no SVG. */
    public Png toPng() {
        return SvgRaster.toPng(toSvg());
    }

    public String toSvg() {
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (Double.isFinite(s.x[i]) && Double.isFinite(s.y[i])) {
                    minX = Math.min(minX, s.x[i]);
                    maxX = Math.max(maxX, s.x[i]);
                    minY = Math.min(minY, s.y[i]);
                    maxY = Math.max(maxY, s.y[i]);
                }
            }
        }
        if (minX > maxX) {
            minX = 0;
            maxX = 1;
            minY = 0;
            maxY = 1;
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        if (maxY == minY) {
            double pad = Math.abs(minY) > 0 ? Math.abs(minY) * 0.1 : 1;
            minY -= pad;
            maxY += pad;
        }
        double[] xt = ticks(minX, maxX, 6);
        double[] yt = ticks(minY, maxY, 5);
        minY = Math.min(minY, yt[0]);
        maxY = Math.max(maxY, yt[yt.length - 1]);
        int left = 56, right = 12, top = title.isEmpty() ? 12 : 28, bottom = xLabel.isEmpty() ? 30 : 44;
        double pw = width - left - right, ph = height - top - bottom;
        final double x0 = minX, x1 = maxX, y0 = minY, y1 = maxY;
        java.util.function.DoubleUnaryOperator sx = v -> left + (v - x0) / (x1 - x0) * pw;
        java.util.function.DoubleUnaryOperator sy = v -> top + ph - (v - y0) / (y1 - y0) * ph;

        StringBuilder sb = new StringBuilder(1024);
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"11\">", width, height, width, height));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        if (!title.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">%s</text>",
                    width / 2, Html.escape(title)));
        }
        for (double t : yt) {
            if (t < y0 - 1e-12 || t > y1 + 1e-12) {
                continue;
            }
            double y = sy.applyAsDouble(t);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>", left, left + pw, y, y));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", left - 4, y + 4, label(t)));
        }
        for (double t : xt) {
            if (t < x0 - 1e-12 || t > x1 + 1e-12) {
                continue;
            }
            double x = sx.applyAsDouble(t);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"/>", x, x, top + ph, top + ph + 4));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>", x, top + ph + 16, label(t)));
        }
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#888\"/>", left, top, pw, ph));
        if (!xLabel.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", left + pw / 2, height - 6, Html.escape(xLabel)));
        }
        if (!yLabel.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "<text transform=\"translate(12,%.1f) rotate(-90)\" text-anchor=\"middle\">%s</text>", top + ph / 2, Html.escape(yLabel)));
        }
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String color = COLORS[k % COLORS.length];
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < s.x.length; i++) {
                if (Double.isFinite(s.x[i]) && Double.isFinite(s.y[i])) {
                    pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", sx.applyAsDouble(s.x[i]), sy.applyAsDouble(s.y[i])));
                }
            }
            sb.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.5\" points=\"")
                    .append(pts.toString().trim()).append("\"/>");
            if (series.size() > 1 || !s.name.isEmpty()) {
                double ly = top + 12 + 14 * k;
                sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>",
                        left + pw - 90, left + pw - 74, ly - 4, ly - 4, color));
                sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s</text>", left + pw - 70, ly, Html.escape(s.name)));
            }
        }
        sb.append("</svg>");
        return sb.toString();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("LinePlot '").append(title).append("'");
        for (Series s : series) {
            sb.append(String.format(Locale.ROOT, "%n  %s: %d points", s.name, s.x.length));
            if (s.y.length > 0) {
                sb.append(String.format(Locale.ROOT, ", last %s", label(s.y[s.y.length - 1])));
            }
        }
        return sb.toString();
    }

    /** Round tick values covering [lo, hi], about {@code n} of them. */
    static double[] ticks(double lo, double hi, int n) {
        double span = hi - lo;
        double raw = span / Math.max(1, n);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * mag >= raw) {
                step = m * mag;
                break;
            }
        }
        double start = Math.floor(lo / step) * step;
        double end = Math.ceil(hi / step) * step;
        int count = (int) Math.round((end - start) / step) + 1;
        double[] t = new double[count];
        for (int i = 0; i < count; i++) {
            t[i] = start + i * step;
        }
        return t;
    }

    private static String label(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        double a = Math.abs(v);
        if (a >= 1e4 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.2g", v);
        }
        String s = String.format(Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}

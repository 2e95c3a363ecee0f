package netbook.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A grouped bar chart drawn as standalone SVG in pure Java: one group per category, one bar per
 * series, optional error bars (plus or minus a value), value labels and a legend. Offline (no
 * scripts, no fonts to fetch).
 * <pre>
 * BarChart.titled("HR@10").categories("BPR-MF", "LightGCN").series("HR@10", hr, hrErr).toSvg();
 * </pre>
 */
public final class BarChart {
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};

    /** One named series: a value (and an error, NaN for none) per category. */
    public record Series(String name, double[] values, double[] errors) {}

    private final String title;
    private final String yLabel;
    private final int width;
    private final int height;
    private final List<String> categories;
    private final List<Series> series;

    private BarChart(String title, String yLabel, int width, int height, List<String> categories, List<Series> series) {
        this.title = title;
        this.yLabel = yLabel;
        this.width = width;
        this.height = height;
        this.categories = List.copyOf(categories);
        this.series = List.copyOf(series);
    }

    public static BarChart titled(String title) {
        return new BarChart(title, "", 640, 320, List.of(), List.of());
    }

    public BarChart yLabel(String label) { return new BarChart(title, label, width, height, categories, series); }
    public BarChart size(int w, int h) { return new BarChart(title, yLabel, w, h, categories, series); }
    public BarChart categories(String... names) { return new BarChart(title, yLabel, width, height, List.of(names), series); }
    public BarChart categories(List<String> names) { return new BarChart(title, yLabel, width, height, names, series); }

    /** Adds a series with one value per category, without error bars. */
    public BarChart series(String name, double[] values) {
        double[] none = new double[values.length];
        java.util.Arrays.fill(none, Double.NaN);
        return series(name, values, none);
    }

    /** Adds a series with one value and one error (drawn as plus or minus) per category. */
    public BarChart series(String name, double[] values, double[] errors) {
        if (values.length != categories.size() || errors.length != values.length) {
            throw new IllegalArgumentException("BarChart series '" + name + "': " + values.length + " values and " + errors.length
                    + " errors for " + categories.size() + " categories");
        }
        List<Series> s = new ArrayList<>(series);
        s.add(new Series(name, values.clone(), errors.clone()));
        return new BarChart(title, yLabel, width, height, categories, s);
    }

    /** The chart as an {@code <svg>} element; the value axis starts at 0. */
    /** The same figure as a PNG (drawn from the SVG with Java2D), for viewers that show no SVG. */
    public Png toPng() {
        return SvgRaster.toPng(toSvg());
    }

    public String toSvg() {
        double max = 0;
        for (Series s : series) {
            for (int i = 0; i < s.values.length; i++) {
                double top = s.values[i] + (Double.isFinite(s.errors[i]) ? s.errors[i] : 0);
                if (Double.isFinite(top)) max = Math.max(max, top);
            }
        }
        if (max <= 0) max = 1;
        double[] ticks = LinePlot.ticks(0, max, 5);
        double yMax = ticks[ticks.length - 1];
        int left = 52, right = 12, top = title.isEmpty() ? 14 : 30, bottom = 96;
        double pw = width - left - right, ph = height - top - bottom;
        StringBuilder sb = new StringBuilder(2048);
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">", width, height, width, height));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        if (!title.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"17\" text-anchor=\"middle\" font-size=\"13\">%s</text>", width / 2, Html.escape(title)));
        }
        for (double t : ticks) {
            double y = top + ph - t / yMax * ph;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>", left, left + pw, y, y));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", left - 4, y + 4, fmt(t)));
        }
        if (!yLabel.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "<text transform=\"translate(12,%.1f) rotate(-90)\" text-anchor=\"middle\">%s</text>",
                    top + ph / 2, Html.escape(yLabel)));
        }
        int nc = Math.max(1, categories.size());
        int ns = Math.max(1, series.size());
        double group = pw / nc;
        double bar = group * 0.8 / ns;
        for (int c = 0; c < categories.size(); c++) {
            double gx = left + c * group + group * 0.1;
            for (int s = 0; s < series.size(); s++) {
                double v = series.get(s).values[c];
                if (!Double.isFinite(v)) continue;
                double h = Math.max(0, v) / yMax * ph;
                double x = gx + s * bar;
                sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                        x, top + ph - h, bar * 0.92, h, COLORS[s % COLORS.length]));
                double err = series.get(s).errors[c];
                if (Double.isFinite(err) && err > 0) {
                    double cx = x + bar * 0.46;
                    double y0 = top + ph - Math.max(0, v - err) / yMax * ph;
                    double y1 = top + ph - (v + err) / yMax * ph;
                    sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>", cx, cx, y0, y1));
                }
                sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"9\">%s</text>",
                        x + bar * 0.46, top + ph - h - 3, String.format(Locale.ROOT, "%.3f", v)));
            }
            double cx = left + c * group + group / 2;
            sb.append(String.format(Locale.ROOT, "<text transform=\"translate(%.1f,%.1f) rotate(-30)\" text-anchor=\"end\">%s</text>",
                    cx, top + ph + 14, Html.escape(categories.get(c))));
        }
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#888\"/>", left, top, pw, ph));
        for (int s = 0; s < series.size(); s++) {
            double lx = left + pw - 110, ly = top + 12 + 14 * s;
            sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\"/>", lx, ly - 9, COLORS[s % COLORS.length]));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s</text>", lx + 14, ly, Html.escape(series.get(s).name)));
        }
        return sb.append("</svg>").toString();
    }

    private static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public String toString() {
        return "BarChart '" + title + "': " + categories.size() + " categories, " + series.size() + " series";
    }
}

package netbook.kernel;

import netbook.dsl.Net;
import netbook.dsl.Summary;
import netbook.render.Diagram;
import netbook.render.Html;
import netbook.render.LinePlot;
import netbook.render.Png;
import netbook.render.Svg;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import tech.tablesaw.api.Table;

/**
 * The MIME bundle of a value: Tablesaw tables and model summaries as HTML, a network as its
 * summary with its diagram, plots, charts and diagrams as SVG with a PNG beside, Netbook's
 * {@link Png} as PNG, anything else as text.
 */
final class Rich {
    private Rich() {}

    static DisplayData render(Object value, Renderer fallback) {
        if (value instanceof DisplayData d) {
            return d;
        }
        DisplayData d = new DisplayData();
        if (value instanceof Table t) {
            d.putText(t.print());
            d.putHTML(Html.table(t));
        } else if (value instanceof Summary s) {
            d.putText(s.toString());
            d.putHTML(Html.summary(s));
        } else if (value instanceof Net n) {
            Summary s = n.summary();
            d.putText(s.toString());
            d.putHTML(Html.summary(s) + "<details><summary>diagram</summary>" + Diagram.svg(s) + "</details>");
        } else if (value instanceof LinePlot p) {
            figure(d, p.toString(), p.toSvg());
        } else if (value instanceof netbook.render.BarChart b) {
            figure(d, b.toString(), b.toSvg());
        } else if (value instanceof Svg s) {
            figure(d, "<svg image>", s.markup());
        } else if (value instanceof Png p) {
            d.putText(p.toString());
            d.putData("image/png", p.base64());
        } else {
            return fallback.render(value);
        }
        return d;
    }

    /**
     * A figure as SVG, with a PNG of it (Java2D, drawn at twice the size for sharp screens) both
     * as {@code image/png} and as an {@code <img>} in {@code text/html}. Why all three: classic
     * Notebook hides SVG in an untrusted notebook, and {@code jupyter nbconvert --to html} prefers
     * HTML, then SVG, which it passes through a sanitiser that keeps only the SVG's text (a blank
     * figure); an HTML image shows in both, and the SVG stays for viewers that ask for it.
     */
    private static void figure(DisplayData d, String text, String svg) {
        d.putText(text);
        d.putSVG(svg);
        Png png;
        try {
            png = netbook.render.SvgRaster.toPng(svg, 2);
        } catch (RuntimeException e) {
            return; // the SVG alone still shows the figure
        }
        int[] size = png.size();
        int width = (size[0] + 1) / 2;
        int height = (size[1] + 1) / 2;
        d.putData("image/png", png.base64());
        d.putMetaData("image/png", java.util.Map.of("width", width, "height", height));
        d.putHTML(png.html(width, height, text));
    }

    /**
     * A short shape for %vars: an NDArray's shape and type, a network's input, output and
     * parameter count, a data set's examples, a table's rows and columns, an array's or a
     * collection's length; empty for anything else.
     */
    static String shapeOf(Object v) {
        if (v == null) return "";
        if (v instanceof ai.djl.ndarray.NDArray a) {
            try {
                return a.getShape() + " " + a.getDataType();
            } catch (RuntimeException e) {
                return "(closed)";
            }
        }
        if (v instanceof Net n) return n.inputShape() + " -> " + n.outputShape() + ", " + String.format(java.util.Locale.ROOT, "%,d", n.params()) + " params";
        if (v instanceof netbook.data.Dataset d) return d.size() + " x " + d.shape();
        if (v instanceof Table t) return t.rowCount() + " rows x " + t.columnCount() + " columns";
        if (v instanceof java.util.Collection<?> c) return c.size() + " items";
        if (v instanceof java.util.Map<?, ?> m) return m.size() + " entries";
        if (v.getClass().isArray()) {
            StringBuilder dims = new StringBuilder();
            Object cur = v;
            while (cur != null && cur.getClass().isArray()) {
                int len = java.lang.reflect.Array.getLength(cur);
                dims.append(dims.length() == 0 ? "" : " x ").append(len);
                cur = len > 0 ? java.lang.reflect.Array.get(cur, 0) : null;
            }
            return "[" + dims + "]";
        }
        return "";
    }
}

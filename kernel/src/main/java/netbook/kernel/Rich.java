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
 * summary with its diagram, plots and diagrams as SVG, Netbook's {@link Png} and other images as PNG, anything
 * else as text.
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
            d.putText(p.toString());
            d.putSVG(p.toSvg());
        } else if (value instanceof Svg s) {
            d.putText("<svg image>");
            d.putSVG(s.markup());
        } else if (value instanceof Png p) {
            d.putText(p.toString());
            d.putData("image/png", p.base64());
        } else {
            return fallback.render(value);
        }
        return d;
    }
}

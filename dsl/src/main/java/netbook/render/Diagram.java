package netbook.render;

import java.util.Locale;
import netbook.dsl.Net;
import netbook.dsl.Summary;
import tech.tablesaw.api.Table;

/**
 * A network's architecture as an SVG diagram, drawn in pure Java from the spec tree (no graphviz):
 * one box per leaf block, top to bottom, labelled with its path and type, and the output shape on
 * each arrow. Blocks inside composites (residual units, branches) keep their dotted paths.
 */
public final class Diagram {
    private static final int BOX_W = 300;
    private static final int BOX_H = 30;
    private static final int GAP = 22;

    private Diagram() {}

    /** The diagram of {@code net} as a value that notebooks show as an image. */
    public static Svg of(Net net) {
        return new Svg(svg(net));
    }

    /** The diagram of {@code net}. */
    public static String svg(Net net) {
        return svg(net.summary());
    }

    /** The diagram of the network a summary describes. */
    public static String svg(Summary s) {
        Table t = s.table();
        int n = t.rowCount();
        int width = BOX_W + 160;
        int height = 20 + (n + 1) * (BOX_H + GAP) + 10;
        int x = 20;
        StringBuilder sb = new StringBuilder(512 + n * 400);
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"11\">", width, height, width, height));
        sb.append("<defs><marker id=\"nb-arrow\" markerWidth=\"8\" markerHeight=\"8\" refX=\"4\" refY=\"4\" orient=\"auto\">"
                + "<path d=\"M0,0 L8,4 L0,8 z\" fill=\"#666\"/></marker></defs>");
        int y = 10;
        box(sb, x, y, "input", s.input().toString(), "#eef5ee");
        for (int r = 0; r < n; r++) {
            int next = y + BOX_H + GAP;
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#666\" marker-end=\"url(#nb-arrow)\"/>",
                    x + BOX_W / 2, y + BOX_H, x + BOX_W / 2, next - 2));
            String path = t.stringColumn("path").get(r);
            String type = t.stringColumn("type").get(r);
            String out = t.stringColumn("output").get(r);
            boolean aux = t.columnNames().contains("aux") && t.booleanColumn("aux").get(r);
            box(sb, x, next, type, path + (aux ? " (aux)" : ""), aux ? "#f5f0e6" : "#eef2f8");
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\">%s</text>",
                    x + BOX_W + 8, next + BOX_H / 2 + 4, Html.escape(out)));
            y = next;
        }
        sb.append("</svg>");
        return sb.toString();
    }

    private static void box(StringBuilder sb, int x, int y, String title, String detail, String fill) {
        sb.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\" fill=\"%s\" stroke=\"#667\"/>",
                x, y, BOX_W, BOX_H, fill));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\"><tspan font-weight=\"bold\">%s</tspan>"
                        + "<tspan fill=\"#555\"> %s</tspan></text>",
                x + 8, y + BOX_H / 2 + 4, Html.escape(title), Html.escape(detail)));
    }
}

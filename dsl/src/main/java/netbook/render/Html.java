package netbook.render;

import java.util.Locale;
import netbook.dsl.Summary;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * HTML for tables and model summaries, self-contained (inline styles only, no scripts, no CDN) so
 * it renders the same in Jupyter, in an exported notebook and in a recipe's report.
 * <pre>Files.writeString(out.resolve("metrics.html"), Html.table(metrics));</pre>
 */
public final class Html {
    /** Rows shown before a table is cut in the middle. */
    public static final int DEFAULT_MAX_ROWS = 60;

    private Html() {}

    /** The whole table, or its first and last rows when it has more than {@value #DEFAULT_MAX_ROWS}. */
    public static String table(Table table) {
        return table(table, DEFAULT_MAX_ROWS);
    }

    /** The table as an HTML {@code <table>}; numbers right-aligned; at most {@code maxRows} rows. */
    public static String table(Table table, int maxRows) {
        StringBuilder sb = new StringBuilder(256 + table.rowCount() * table.columnCount() * 24);
        sb.append("<div class=\"netbook-table\">");
        String name = table.name();
        sb.append("<table style=\"border-collapse:collapse;font-size:12px\">");
        if (name != null && !name.isBlank()) {
            sb.append("<caption style=\"text-align:left;font-weight:bold\">").append(escape(name)).append("</caption>");
        }
        sb.append("<thead><tr>");
        for (Column<?> c : table.columns()) {
            sb.append("<th style=\"").append(align(c)).append(";padding:2px 8px;border-bottom:1px solid #888\">")
                    .append(escape(c.name())).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        int rows = table.rowCount();
        int head = rows <= maxRows ? rows : maxRows / 2;
        int tail = rows <= maxRows ? 0 : maxRows - head;
        for (int r = 0; r < head; r++) {
            row(sb, table, r);
        }
        if (tail > 0) {
            sb.append("<tr><td colspan=\"").append(table.columnCount())
                    .append("\" style=\"text-align:center;color:#888\">&hellip; ")
                    .append(rows - head - tail).append(" more rows &hellip;</td></tr>");
            for (int r = rows - tail; r < rows; r++) {
                row(sb, table, r);
            }
        }
        sb.append("</tbody></table>");
        sb.append("<div style=\"color:#888;font-size:11px\">").append(rows).append(rows == 1 ? " row" : " rows")
                .append(" &times; ").append(table.columnCount()).append(table.columnCount() == 1 ? " column" : " columns")
                .append("</div></div>");
        return sb.toString();
    }

    /** A model summary: the layer table followed by the totals. */
    public static String summary(Summary s) {
        StringBuilder sb = new StringBuilder();
        sb.append("<div class=\"netbook-summary\"><div style=\"font-weight:bold\">").append(escape(s.name()))
                .append(" &nbsp; input ").append(escape(s.input().toString()))
                .append(" &rarr; output ").append(escape(s.output().toString())).append("</div>");
        Table t = s.table().copy();
        t.setName("");
        sb.append(table(t, 400));
        sb.append("<table style=\"font-size:12px\">");
        totalRow(sb, "Trainable params", String.format(Locale.ROOT, "%,d", s.params())
                + (s.auxParams() > 0 ? String.format(Locale.ROOT, " (auxiliary heads %,d)", s.auxParams()) : ""));
        totalRow(sb, "Frozen (running statistics)", String.format(Locale.ROOT, "%,d", s.frozen()));
        totalRow(sb, "Multiply-accumulates per example", String.format(Locale.ROOT, "%,d (%.3f G)", s.macs(), s.macs() / 1e9));
        totalRow(sb, "Activation memory at batch " + s.batch(), String.format(Locale.ROOT, "%.1f MiB", s.activationBytes() / 1048576.0));
        sb.append("</table></div>");
        return sb.toString();
    }

    /** Escapes {@code & < > "} for HTML text and attribute values. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                default -> null;
            };
            if (rep != null && sb == null) {
                sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (sb != null) {
                if (rep != null) {
                    sb.append(rep);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }

    private static void totalRow(StringBuilder sb, String k, String v) {
        sb.append("<tr><td style=\"padding:0 8px 0 0\">").append(escape(k)).append("</td><td style=\"text-align:right\">")
                .append(escape(v)).append("</td></tr>");
    }

    private static void row(StringBuilder sb, Table t, int r) {
        sb.append("<tr>");
        for (Column<?> c : t.columns()) {
            sb.append("<td style=\"").append(align(c)).append(";padding:2px 8px\">")
                    .append(escape(c.isMissing(r) ? "" : c.getString(r))).append("</td>");
        }
        sb.append("</tr>");
    }

    private static String align(Column<?> c) {
        ColumnType t = c.type();
        boolean numeric = t == ColumnType.INTEGER || t == ColumnType.LONG || t == ColumnType.DOUBLE
                || t == ColumnType.FLOAT || t == ColumnType.SHORT;
        return numeric ? "text-align:right" : "text-align:left";
    }
}

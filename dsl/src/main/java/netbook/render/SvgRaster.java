package netbook.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Draws Netbook's own SVG figures (line plots, bar charts, diagrams, heatmaps, grids) as PNG
 * with Java2D, so every figure can travel with a PNG beside its SVG: an untrusted notebook, a
 * page exported by nbconvert or a viewer without SVG still shows a picture. It understands the
 * subset of SVG that Netbook writes: nested {@code svg} (x, y, viewBox), {@code g}, {@code rect}
 * (rx), {@code line} (with an arrow {@code marker-end}), {@code polyline}, {@code polygon},
 * {@code circle}, {@code path} (M, L, H, V, Z), {@code text} with {@code tspan}, presentation
 * attributes and {@code style}, and {@code translate}/{@code rotate}/{@code scale} transforms.
 * Anything else is skipped, never an error: the SVG stays the exact figure.
 */
public final class SvgRaster {
    private SvgRaster() {}

    /** The figure as a PNG at its own size ({@code width}/{@code height} of the outer svg) times {@code scale}. */
    public static Png toPng(String svg, double scale) {
        Element root = parse(svg);
        double w = length(root.getAttribute("width"), 0, 640);
        double h = length(root.getAttribute("height"), 0, 400);
        int pw = Math.max(1, (int) Math.ceil(w * scale));
        int ph = Math.max(1, (int) Math.ceil(h * scale));
        BufferedImage img = new BufferedImage(pw, ph, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, pw, ph);
            g.scale(scale, scale);
            new Painter(g, markers(root)).svg(root, new Style(), w, h);
        } finally {
            g.dispose();
        }
        return Png.of(img);
    }

    /** {@link #toPng(String, double)} at scale 1. */
    public static Png toPng(String svg) {
        return toPng(svg, 1);
    }

    private static Element parse(String svg) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true); // our own markup: no DTDs, no entities
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        } catch (Exception e) {
            throw new IllegalArgumentException("SvgRaster: not well-formed SVG (" + e.getMessage() + ")", e);
        }
    }

    /** Markers by id: only whether one exists matters (every Netbook marker is an arrowhead) and its fill. */
    private static Map<String, String> markers(Element root) {
        Map<String, String> out = new HashMap<>();
        var list = root.getElementsByTagName("marker");
        for (int i = 0; i < list.getLength(); i++) {
            Element m = (Element) list.item(i);
            String fill = "#666";
            var paths = m.getElementsByTagName("path");
            if (paths.getLength() > 0) fill = ((Element) paths.item(0)).getAttribute("fill");
            out.put(m.getAttribute("id"), fill.isEmpty() ? "#666" : fill);
        }
        return out;
    }

    /** Inherited presentation state. */
    private record Style(String fill, String stroke, double strokeWidth, double fontSize, String anchor, boolean bold,
                         String dash, double opacity) {
        Style() {
            this("black", "none", 1, 16, "start", false, null, 1);
        }

        Style with(Element e) {
            Map<String, String> a = attributes(e);
            return new Style(a.getOrDefault("fill", fill), a.getOrDefault("stroke", stroke),
                    a.containsKey("stroke-width") ? length(a.get("stroke-width"), 0, strokeWidth) : strokeWidth,
                    a.containsKey("font-size") ? length(a.get("font-size"), 0, fontSize) : fontSize,
                    a.getOrDefault("text-anchor", anchor),
                    a.containsKey("font-weight") ? a.get("font-weight").startsWith("bold") || a.get("font-weight").matches("[6-9]00") : bold,
                    a.getOrDefault("stroke-dasharray", dash),
                    a.containsKey("opacity") ? opacity * length(a.get("opacity"), 0, 1) : opacity);
        }
    }

    /** An element's presentation attributes, with its style="a:b;c:d" declarations on top. */
    private static Map<String, String> attributes(Element e) {
        Map<String, String> a = new HashMap<>();
        var attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) a.put(attrs.item(i).getNodeName(), attrs.item(i).getNodeValue().strip());
        String style = e.getAttribute("style");
        for (String decl : style.split(";")) {
            int colon = decl.indexOf(':');
            if (colon > 0) a.put(decl.substring(0, colon).strip(), decl.substring(colon + 1).strip());
        }
        return a;
    }

    private static final class Painter {
        private final Graphics2D g;
        private final Map<String, String> markers;

        Painter(Graphics2D g, Map<String, String> markers) {
            this.g = g;
            this.markers = markers;
        }

        void svg(Element e, Style parent, double width, double height) {
            AffineTransform saved = g.getTransform();
            g.translate(length(e.getAttribute("x"), width, 0), length(e.getAttribute("y"), height, 0));
            double w = length(e.getAttribute("width"), width, width);
            double h = length(e.getAttribute("height"), height, height);
            String vb = e.getAttribute("viewBox");
            if (!vb.isBlank()) {
                String[] p = vb.strip().split("[\\s,]+");
                if (p.length == 4) {
                    double vw = Double.parseDouble(p[2]);
                    double vh = Double.parseDouble(p[3]);
                    if (vw > 0 && vh > 0) {
                        double s = Math.min(w / vw, h / vh);   // xMidYMid meet
                        g.translate((w - vw * s) / 2, (h - vh * s) / 2);
                        g.scale(s, s);
                        g.translate(-Double.parseDouble(p[0]), -Double.parseDouble(p[1]));
                        w = vw;
                        h = vh;
                    }
                }
            }
            children(e, parent.with(e), w, h);
            g.setTransform(saved);
        }

        void children(Element e, Style style, double w, double h) {
            for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element c) element(c, style, w, h);
            }
        }

        void element(Element e, Style parent, double w, double h) {
            String tag = e.getTagName();
            if (tag.equals("defs") || tag.equals("marker") || tag.equals("title") || tag.equals("style")) return;
            if (tag.equals("svg")) {
                svg(e, parent, w, h);
                return;
            }
            Style s = parent.with(e);
            AffineTransform saved = g.getTransform();
            transform(e.getAttribute("transform"));
            switch (tag) {
                case "g" -> children(e, s, w, h);
                case "rect" -> {
                    double x = length(e.getAttribute("x"), w, 0);
                    double y = length(e.getAttribute("y"), h, 0);
                    double rw = length(e.getAttribute("width"), w, 0);
                    double rh = length(e.getAttribute("height"), h, 0);
                    double rx = length(e.getAttribute("rx"), w, 0);
                    paint(rx > 0 ? new RoundRectangle2D.Double(x, y, rw, rh, 2 * rx, 2 * rx) : new Rectangle2D.Double(x, y, rw, rh), s, true);
                }
                case "line" -> {
                    double x1 = length(e.getAttribute("x1"), w, 0);
                    double y1 = length(e.getAttribute("y1"), h, 0);
                    double x2 = length(e.getAttribute("x2"), w, 0);
                    double y2 = length(e.getAttribute("y2"), h, 0);
                    Path2D.Double p = new Path2D.Double();
                    p.moveTo(x1, y1);
                    p.lineTo(x2, y2);
                    paint(p, s, false);
                    String marker = e.getAttribute("marker-end");
                    if (marker.startsWith("url(#")) arrow(x1, y1, x2, y2, markers.get(marker.substring(5, marker.length() - 1)));
                }
                case "polyline", "polygon" -> {
                    Path2D.Double p = points(e.getAttribute("points"));
                    if (tag.equals("polygon")) p.closePath();
                    paint(p, s, tag.equals("polygon"));
                }
                case "circle" -> {
                    double r = length(e.getAttribute("r"), w, 0);
                    double cx = length(e.getAttribute("cx"), w, 0);
                    double cy = length(e.getAttribute("cy"), h, 0);
                    paint(new java.awt.geom.Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r), s, true);
                }
                case "path" -> paint(path(e.getAttribute("d")), s, true);
                case "text" -> {
                    try {
                        text(e, s, w, h);
                    } catch (RuntimeException | Error noFonts) {
                        // a JVM without any font (no fontconfig fonts installed): the shapes still draw
                    }
                }
                default -> { }
            }
            g.setTransform(saved);
        }

        private void paint(java.awt.Shape shape, Style s, boolean fillable) {
            Color fill = fillable ? color(s.fill(), s.opacity()) : null;
            if (fill != null) {
                g.setColor(fill);
                g.fill(shape);
            }
            Color stroke = color(s.stroke(), s.opacity());
            if (stroke != null && s.strokeWidth() > 0) {
                g.setColor(stroke);
                g.setStroke(stroke(s));
                g.draw(shape);
            }
        }

        private static BasicStroke stroke(Style s) {
            float width = (float) s.strokeWidth();
            if (s.dash() == null || s.dash().isBlank() || s.dash().equals("none")) return new BasicStroke(width);
            String[] parts = s.dash().strip().split("[\\s,]+");
            float[] dash = new float[parts.length];
            for (int i = 0; i < parts.length; i++) dash[i] = (float) Math.max(0.1, Double.parseDouble(parts[i]));
            return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, dash, 0);
        }

        private void arrow(double x1, double y1, double x2, double y2, String fill) {
            Color c = color(fill == null ? "#666" : fill, 1);
            if (c == null) return;
            double angle = Math.atan2(y2 - y1, x2 - x1);
            AffineTransform saved = g.getTransform();
            g.translate(x2, y2);
            g.rotate(angle);
            Path2D.Double head = new Path2D.Double();   // Diagram's marker: M0,0 L8,4 L0,8 z with refX 4, refY 4
            head.moveTo(-4, -4);
            head.lineTo(4, 0);
            head.lineTo(-4, 4);
            head.closePath();
            g.setColor(c);
            g.fill(head);
            g.setTransform(saved);
        }

        private void text(Element e, Style s, double w, double h) {
            double x = length(e.getAttribute("x"), w, 0);
            double y = length(e.getAttribute("y"), h, 0);
            // Runs: the text's own characters and each tspan's, each with its style, laid out one after another.
            java.util.List<Object[]> runs = new java.util.ArrayList<>();
            for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n.getNodeType() == Node.TEXT_NODE) runs.add(new Object[] {n.getNodeValue(), s});
                else if (n instanceof Element t && t.getTagName().equals("tspan")) runs.add(new Object[] {t.getTextContent(), s.with(t)});
            }
            double total = 0;
            for (Object[] r : runs) total += advance((String) r[0], (Style) r[1]);
            double start = switch (s.anchor()) {
                case "middle" -> x - total / 2;
                case "end" -> x - total;
                default -> x;
            };
            for (Object[] r : runs) {
                String str = (String) r[0];
                Style rs = (Style) r[1];
                Color c = color(rs.fill(), rs.opacity());
                g.setFont(font(rs));
                if (c != null && !str.isEmpty()) {
                    g.setColor(c);
                    g.drawString(str, (float) start, (float) y);
                }
                start += advance(str, rs);
            }
        }

        private double advance(String str, Style s) {
            return g.getFontMetrics(font(s)).getStringBounds(str, g).getWidth();
        }

        private static Font font(Style s) {
            return new Font(Font.SANS_SERIF, s.bold() ? Font.BOLD : Font.PLAIN, 1).deriveFont((float) s.fontSize());
        }

        private void transform(String t) {
            if (t == null || t.isBlank()) return;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(translate|rotate|scale)\\s*\\(([^)]*)\\)").matcher(t);
            while (m.find()) {
                String[] a = m.group(2).strip().split("[\\s,]+");
                double[] v = new double[a.length];
                for (int i = 0; i < a.length; i++) v[i] = Double.parseDouble(a[i]);
                switch (m.group(1)) {
                    case "translate" -> g.translate(v[0], v.length > 1 ? v[1] : 0);
                    case "rotate" -> {
                        if (v.length == 3) g.rotate(Math.toRadians(v[0]), v[1], v[2]);
                        else g.rotate(Math.toRadians(v[0]));
                    }
                    default -> g.scale(v[0], v.length > 1 ? v[1] : v[0]);
                }
            }
        }
    }

    private static Path2D.Double points(String pts) {
        Path2D.Double p = new Path2D.Double();
        String[] n = pts.strip().split("[\\s,]+");
        for (int i = 0; i + 1 < n.length; i += 2) {
            double x = Double.parseDouble(n[i]);
            double y = Double.parseDouble(n[i + 1]);
            if (i == 0) p.moveTo(x, y);
            else p.lineTo(x, y);
        }
        return p;
    }

    /** Path data with absolute or relative M, L, H, V and Z. */
    private static Path2D.Double path(String d) {
        Path2D.Double p = new Path2D.Double();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([MLHVZmlhvz])([^MLHVZmlhvz]*)").matcher(d);
        double cx = 0;
        double cy = 0;
        while (m.find()) {
            char op = m.group(1).charAt(0);
            String args = m.group(2).strip();
            double[] v = args.isEmpty() ? new double[0]
                    : java.util.Arrays.stream(args.split("[\\s,]+")).mapToDouble(Double::parseDouble).toArray();
            boolean rel = Character.isLowerCase(op);
            switch (Character.toUpperCase(op)) {
                case 'M', 'L' -> {
                    for (int i = 0; i + 1 < v.length; i += 2) {
                        cx = rel ? cx + v[i] : v[i];
                        cy = rel ? cy + v[i + 1] : v[i + 1];
                        if (i == 0 && Character.toUpperCase(op) == 'M') p.moveTo(cx, cy);
                        else p.lineTo(cx, cy);
                    }
                }
                case 'H' -> {
                    for (double x : v) p.lineTo(cx = rel ? cx + x : x, cy);
                }
                case 'V' -> {
                    for (double y : v) p.lineTo(cx, cy = rel ? cy + y : y);
                }
                default -> p.closePath();
            }
        }
        return p;
    }

    /** A length: a number of pixels (px optional) or a percentage of {@code whole}; {@code otherwise} when absent. */
    private static double length(String v, double whole, double otherwise) {
        if (v == null || v.isBlank()) return otherwise;
        String s = v.strip().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("%")) return whole * Double.parseDouble(s.substring(0, s.length() - 1)) / 100;
            if (s.endsWith("px")) s = s.substring(0, s.length() - 2);
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static final Map<String, Color> NAMED = Map.ofEntries(
            Map.entry("black", Color.BLACK), Map.entry("white", Color.WHITE), Map.entry("red", new Color(255, 0, 0)),
            Map.entry("green", new Color(0, 128, 0)), Map.entry("blue", new Color(0, 0, 255)), Map.entry("gray", new Color(128, 128, 128)),
            Map.entry("grey", new Color(128, 128, 128)), Map.entry("orange", new Color(255, 165, 0)),
            Map.entry("steelblue", new Color(70, 130, 180)), Map.entry("lightgray", new Color(211, 211, 211)),
            Map.entry("darkgray", new Color(169, 169, 169)), Map.entry("silver", new Color(192, 192, 192)));

    /** A paint colour, or null for none. */
    private static Color color(String v, double opacity) {
        if (v == null) return null;
        String s = v.strip().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("none") || s.equals("transparent") || s.startsWith("url(")) return null;
        Color c;
        try {
            if (s.startsWith("#") && s.length() == 4) {
                c = new Color(Integer.parseInt(s.substring(1, 2).repeat(2), 16), Integer.parseInt(s.substring(2, 3).repeat(2), 16),
                        Integer.parseInt(s.substring(3, 4).repeat(2), 16));
            } else if (s.startsWith("#") && s.length() == 7) {
                c = new Color(Integer.parseInt(s.substring(1), 16));
            } else if (s.startsWith("rgb(")) {
                String[] p = s.substring(4, s.length() - 1).split(",");
                c = new Color(Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip()), Integer.parseInt(p[2].strip()));
            } else {
                c = NAMED.getOrDefault(s, Color.BLACK);
            }
        } catch (RuntimeException e) {
            c = Color.BLACK;
        }
        return opacity >= 1 ? c : new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(255 * Math.max(0, opacity)));
    }
}

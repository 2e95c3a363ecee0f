package netbook.render;

import java.util.List;
import java.util.Locale;

/**
 * Several standalone SVG figures (such as {@link LinePlot#toSvg()}) tiled row by row into one SVG,
 * each in a cell of the same size. Pure text, works offline.
 * <pre>
 * String svg = SvgGrid.of(2, 480, 300, List.of(a.toSvg(), b.toSvg(), c.toSvg(), d.toSvg()));
 * </pre>
 */
public final class SvgGrid {
    private SvgGrid() {}

    /** The figures in {@code columns} columns of {@code cellWidth} x {@code cellHeight} pixels. */
    public static String of(int columns, int cellWidth, int cellHeight, List<String> figures) {
        if (columns <= 0) {
            throw new IllegalArgumentException("SvgGrid: columns must be positive, received " + columns);
        }
        int rows = (figures.size() + columns - 1) / columns;
        int width = columns * cellWidth;
        int height = rows * cellHeight;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\">", width, height, width, height));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        for (int i = 0; i < figures.size(); i++) {
            String figure = figures.get(i).strip();
            if (!figure.startsWith("<svg")) {
                throw new IllegalArgumentException("SvgGrid: figure " + i + " is not an <svg> element");
            }
            String at = String.format(Locale.ROOT, "<svg x=\"%d\" y=\"%d\"", (i % columns) * cellWidth, (i / columns) * cellHeight);
            sb.append(at).append(figure.substring("<svg".length()));
        }
        return sb.append("</svg>").toString();
    }
}

package netbook.render;

/**
 * SVG markup as a value, so that a front end shows it as an image rather than as text:
 * {@code Diagram.of(net)} in a notebook cell draws the network.
 */
public record Svg(String markup) {
    /** The figure as a PNG (Java2D), shown where SVG is not: untrusted notebooks, exported pages. */
    public Png toPng() {
        return SvgRaster.toPng(markup);
    }

    @Override
    public String toString() {
        return markup;
    }
}

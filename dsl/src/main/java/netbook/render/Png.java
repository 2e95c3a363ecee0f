package netbook.render;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Base64;
import netbook.dsl.NetbookException;

/**
 * A PNG image in memory. The kernel shows it as {@code image/png}; {@link #save} writes the file
 * atomically; {@link #html} embeds it in a page.
 */
public record Png(byte[] bytes) {
    public Png {
        if (bytes == null || bytes.length < 8 || bytes[1] != 'P' || bytes[2] != 'N' || bytes[3] != 'G') {
            throw new NetbookException("Png: not PNG data");
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() { return bytes.clone(); }

    /** Encodes an image as PNG (ImageIO; no fonts or display needed). */
    public static Png of(java.awt.image.RenderedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!javax.imageio.ImageIO.write(image, "png", out)) throw new NetbookException("Png: no PNG writer in this Java runtime");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Png(out.toByteArray());
    }

    /** The image's width and height in pixels, from the PNG header. */
    public int[] size() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
        return new int[] {b.getInt(16), b.getInt(20)};
    }

    public String base64() { return Base64.getEncoder().encodeToString(bytes); }

    /** An {@code <img>} element with the image inline. */
    public String html() { return "<img src=\"data:image/png;base64," + base64() + "\"/>"; }

    /**
     * An {@code <img>} with the image inline, shown at {@code width} x {@code height} CSS pixels
     * (half of a picture drawn at twice the size stays sharp on high-density screens), with
     * {@code alt} text for readers that show no images.
     */
    public String html(int width, int height, String alt) {
        return "<img src=\"data:image/png;base64," + base64() + "\" width=\"" + width + "\" height=\"" + height
                + "\" alt=\"" + Html.escape(alt) + "\"/>";
    }

    public void save(Path file) throws IOException {
        netbook.files.AtomicFiles.write(file, out -> out.write(bytes));
    }

    @Override
    public String toString() {
        int[] s = size();
        return "<png image " + s[0] + "x" + s[1] + ", " + bytes.length + " bytes>";
    }
}

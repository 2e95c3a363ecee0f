package netbook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import netbook.render.LinePlot;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

class RichTest {
    @Test
    void aFigureTravelsAsSvgPngAndAnHtmlImageOfTheSameSize() throws Exception {
        LinePlot plot = LinePlot.titled("loss").xLabel("step").series("train", new double[] {1, 2, 3}, new double[] {3, 2, 1.5}).size(300, 180);
        DisplayData d = Rich.render(plot, new Renderer());
        String svg = (String) d.getData(MIMEType.parse("image/svg+xml"));
        assertTrue(svg.startsWith("<svg") && svg.contains("width=\"300\""), svg);

        byte[] png = Base64.getDecoder().decode((String) d.getData(MIMEType.parse("image/png")));
        var image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(600, image.getWidth(), "drawn at twice the figure's width");
        assertEquals(360, image.getHeight());

        // nbconvert's HTML export and classic Notebook (untrusted) pick text/html: an <img> of the PNG, at the SVG's size
        String html = (String) d.getData(MIMEType.TEXT_HTML);
        Matcher m = Pattern.compile("<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\" width=\"300\" height=\"180\" alt=\"[^\"]*\"/>").matcher(html);
        assertTrue(m.matches(), html.substring(0, Math.min(200, html.length())));
        assertEquals(d.getData(MIMEType.parse("image/png")), m.group(1), "the HTML image is the same PNG");
    }
}

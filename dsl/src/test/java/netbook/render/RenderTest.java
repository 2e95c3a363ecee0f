package netbook.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static netbook.dsl.Layers.*;

import netbook.dsl.Net;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class RenderTest {
    @Test
    void htmlTableEscapesAndAlignsNumbers() {
        Table t = Table.create("a <b>", StringColumn.create("name", "x&y", "z"), DoubleColumn.create("v", 1.5, 2));
        String html = Html.table(t);
        assertTrue(html.contains("<caption style=\"text-align:left;font-weight:bold\">a &lt;b&gt;</caption>"), html);
        assertTrue(html.contains(">x&amp;y</td>"), html);
        assertTrue(html.contains("text-align:right;padding:2px 8px\">1.5</td>"), html);
        assertTrue(html.contains("2 rows &times; 2 columns"), html);
    }

    @Test
    void longTablesAreCutInTheMiddle() {
        double[] v = new double[100];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        String html = Html.table(Table.create("t", DoubleColumn.create("v", v)), 10);
        assertTrue(html.contains("90 more rows"), html);
        assertTrue(html.contains(">99.0</td>") || html.contains(">99</td>"), html);
    }

    @Test
    void summaryAndDiagramOfANet() {
        Net net = Net.input(1, 28, 28).add(conv(16, 3).padding(1), batchNorm(), relu(), maxPool(2), flatten(), linear(10));
        String html = Html.summary(net.summary());
        assertTrue(html.contains("Trainable params"), html);
        assertTrue(html.contains("Conv2d"), html);
        String svg = Diagram.svg(net);
        assertTrue(svg.startsWith("<svg") && svg.endsWith("</svg>"), svg);
        assertTrue(svg.contains("Linear") && svg.contains("(N, 10)"), svg);
        assertEquals(svg, Diagram.of(net).markup());
    }

    @Test
    void linePlotIsStandaloneSvg() {
        String svg = LinePlot.titled("loss").xLabel("step").series("train", new double[] {3, 2, 1.5, 1.2}).toSvg();
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg);
        assertTrue(svg.contains("<polyline"), svg);
        assertTrue(svg.contains(">loss</text>") && svg.contains(">step</text>"), svg);
        assertTrue(!svg.contains("http://") || svg.indexOf("http://") == svg.indexOf("http://www.w3.org/2000/svg"), svg);
    }

    @Test
    void ticksAreRound() {
        assertArrayEquals(new double[] {0, 0.5, 1, 1.5, 2, 2.5, 3}, LinePlot.ticks(0.1, 2.9, 6), 1e-12);
        assertArrayEquals(new double[] {0, 20, 40, 60, 80, 100}, LinePlot.ticks(0, 100, 5), 1e-12);
    }

    @Test
    void displayFallsBackToText() {
        String id = Display.display("shown");
        assertTrue(id.startsWith("netbook-"));
    }

    private static java.awt.image.BufferedImage image(Png png) throws Exception {
        return javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.bytes()));
    }

    @Test
    void svgShapesAndTextDrawAsTheSvgSays() throws Exception {
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"60\">"
                + "<rect x=\"10\" y=\"10\" width=\"20\" height=\"20\" fill=\"#ff0000\"/>"
                + "<g transform=\"translate(50,0)\"><rect x=\"0\" y=\"10\" width=\"20\" height=\"20\" style=\"fill:rgb(0,0,255)\"/></g>"
                + "<line x1=\"0\" y1=\"50\" x2=\"100\" y2=\"50\" stroke=\"#00aa00\" stroke-width=\"3\"/>"
                + "<text x=\"80\" y=\"45\" font-size=\"12\" text-anchor=\"end\">Ab</text></svg>";
        java.awt.image.BufferedImage img = image(SvgRaster.toPng(svg));
        assertEquals(100, img.getWidth());
        assertEquals(60, img.getHeight());
        assertEquals(0xff0000, img.getRGB(20, 20) & 0xffffff, "the red square");
        assertEquals(0x0000ff, img.getRGB(60, 20) & 0xffffff, "the blue square, moved by its group's translate");
        assertEquals(0x00aa00, img.getRGB(50, 50) & 0xffffff, "the green line");
        assertEquals(0xffffff, img.getRGB(5, 5) & 0xffffff, "the background");
        int ink = 0;
        for (int x = 60; x < 81; x++) for (int y = 33; y < 46; y++) if ((img.getRGB(x, y) & 0xff) < 128) ink++;
        assertTrue(ink > 10, "the text drew dark pixels left of its end anchor: " + ink);
        assertEquals(200, SvgRaster.toPng(svg, 2).size()[0], "scale 2");
    }

    @Test
    void everyKindOfFigureHasAPngOfItsSizeWithInk() throws Exception {
        Net net = Net.input(1, 28, 28).add(conv(8, 3), relu(), flatten(), linear(10));
        LinePlot plot = LinePlot.titled("loss").series("train", new double[] {3, 2, 1.5, 1});
        BarChart bars = BarChart.titled("accuracy").categories("a", "b").series("run", new double[] {0.5, 0.9});
        for (String svg : java.util.List.of(plot.toSvg(), bars.toSvg(), Diagram.svg(net),
                SvgGrid.of(2, 320, 200, java.util.List.of(plot.toSvg(), bars.toSvg())))) {
            java.awt.image.BufferedImage img = image(SvgRaster.toPng(svg));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("width=\"(\\d+)\" height=\"(\\d+)\"").matcher(svg);
            assertTrue(m.find(), svg.substring(0, 80));
            assertEquals(Integer.parseInt(m.group(1)), img.getWidth());
            assertEquals(Integer.parseInt(m.group(2)), img.getHeight());
            long nonWhite = 0;
            for (int x = 0; x < img.getWidth(); x++) for (int y = 0; y < img.getHeight(); y++) if ((img.getRGB(x, y) & 0xffffff) != 0xffffff) nonWhite++;
            assertTrue(nonWhite > 200, "drawn pixels: " + nonWhite + " in " + svg.substring(0, 60));
        }
        assertEquals(plot.toPng().bytes().length, SvgRaster.toPng(plot.toSvg()).bytes().length, "LinePlot.toPng is the raster of its SVG");
    }

    @Test
    void anImageGridMapsItsRangeToGreyAndLeavesGreyGaps() {
        // one row of two 2x2 images, values from -1 (black) to 1 (white), outside clipped
        float[] images = {-1, 1, 0, 5, 1, -1, -3, 0};
        var img = ImageGrid.of(2, 2).columns(2).range(-1, 1).row(images).image();
        assertEquals(2 * (2 + 1) + 1, img.getWidth());
        assertEquals(2 + 2, img.getHeight());
        int[] cell1 = {img.getRaster().getSample(1, 1, 0), img.getRaster().getSample(2, 1, 0), img.getRaster().getSample(1, 2, 0), img.getRaster().getSample(2, 2, 0)};
        assertArrayEquals(new int[] {0, 255, 128, 255}, cell1);
        assertEquals(255, img.getRaster().getSample(4, 1, 0));
        assertEquals(0, img.getRaster().getSample(4, 2, 0), "-3 is clipped to black");
        assertEquals(128, img.getRaster().getSample(5, 2, 0), "0 is mid-grey");
        assertEquals(96, img.getRaster().getSample(0, 0, 0), "gap");
        assertEquals(96, img.getRaster().getSample(3, 1, 0), "gap between images");
        var png = ImageGrid.of(2, 2).scale(3).row(images).png();
        assertEquals(8 * (2 * 3 + 1) + 1, png.size()[0], "8 columns by default, two of them drawn");
        String err = org.junit.jupiter.api.Assertions.assertThrows(netbook.dsl.NetbookException.class,
                () -> ImageGrid.of(28, 28).row(new float[10])).getMessage();
        assertEquals("ImageGrid.row 1: needs at least one 28x28 image (784 values), received 10 values", err);
    }
}

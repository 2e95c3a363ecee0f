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
}

package netbook.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class NotebookProgressTest {
    @Test
    void drawsABarALossCurveAndTheEpochTable() {
        NotebookProgress p = new NotebookProgress(new NetbookKernel(new CompletableFuture<>()));
        p.start("fit small-cnn", 2, 3);
        for (int e = 1; e <= 2; e++) {
            for (int s = 1; s <= 3; s++) {
                p.step(e, s, 1.0 / (e * 3 + s));
            }
            p.epoch(e, Map.of("val_accuracy", 0.5 + e / 10.0));
        }
        String running = p.html();
        assertTrue(running.contains("<svg") && running.contains("<polyline"), "while it runs the curve is inline SVG: " + running);
        p.end();
        String html = p.html();
        assertTrue(html.contains("<progress value=\"6\" max=\"6\""), html);
        // the saved (last) drawing carries the curve as a PNG: exported pages and untrusted notebooks strip inline SVG
        assertTrue(!html.contains("<svg") && html.contains("<img src=\"data:image/png;base64,")
                && html.contains("width=\"420\" height=\"200\""), html);
        assertTrue(html.contains("val_accuracy") && html.contains("0.7000"), html);
        assertTrue(html.contains("fit small-cnn"), html);
        assertTrue(p.displayId().startsWith("netbook-"));
    }

    @Test
    void aLongRunsCurveKeepsAFixedNumberOfPointsThatAverageTheSteps() {
        NotebookProgress p = new NotebookProgress(new NetbookKernel(new CompletableFuture<>()));
        p.start("long", 1, 10_000);
        for (int s = 1; s <= 10_000; s++) p.step(1, s, s % 2 == 0 ? 1.0 : 3.0);   // alternating 1 and 3: every mean is 2
        double[][] xy = p.curve();
        org.junit.jupiter.api.Assertions.assertEquals(NotebookProgress.CURVE_POINTS, xy[0].length);
        for (double y : xy[1]) org.junit.jupiter.api.Assertions.assertEquals(2.0, y, 1e-12);
        org.junit.jupiter.api.Assertions.assertEquals(25.5, xy[0][0], 1e-9, "the first 50 steps' mean step");
        String html = p.html();
        assertTrue(html.length() < 20_000, "an update of a 10,000-step run is " + html.length() + " characters");
    }
}

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
        p.end();
        String html = p.html();
        assertTrue(html.contains("<progress value=\"6\" max=\"6\""), html);
        assertTrue(html.contains("<svg") && html.contains("<polyline"), html);
        assertTrue(html.contains("val_accuracy") && html.contains("0.7000"), html);
        assertTrue(html.contains("fit small-cnn"), html);
        assertTrue(p.displayId().startsWith("netbook-"));
    }
}

package netbook.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** The benchmark recipe's pipeline in quick mode (2,000 images, two epochs), every family and one alone. */
class BenchmarkRecipeTest {
    @TempDir Path out;

    @Test
    void everyFamilyTrainsAndIsSetBesideItsPublishedAccuracy() throws Exception {
        Table t = new BenchmarkRecipe().run(Recipe.Settings.quick(), out).get(0);
        assertEquals(List.of("alexnet-small", "vgg16-bn-small", "googlenet-small", "resnet18-small"), t.stringColumn("netbook_model").asList());
        // The benchmark table's accuracies (src/docs/references.md)
        assertEquals(List.of(0.899, 0.935, 0.937, 0.949), t.doubleColumn("benchmark_accuracy").asList());
        for (int r = 0; r < t.rowCount(); r++) {
            double acc = t.doubleColumn("test_accuracy").get(r);
            // chance is 0.10 with a standard error of 0.0095 on 1,000 test images: chance + 3 standard errors
            assertTrue(acc > 0.13 && acc <= 1, t.stringColumn("netbook_model").get(r) + " " + acc);
            double points = (acc - t.doubleColumn("benchmark_accuracy").get(r)) * 100;
            assertEquals(points, t.doubleColumn("difference_points").get(r), 0.006);
            assertEquals(Math.abs(points) <= 0.5 ? "yes" : points > 0 ? "no, above" : "no, below", t.stringColumn("within_goal").get(r));
            assertEquals(2, t.intColumn("epochs").get(r), "quick mode: two epochs");
            int trained = t.intColumn("epochs_trained").get(r);
            int kept = t.intColumn("epoch_kept").get(r);
            if (r == 0) {
                // AlexNet keeps the epoch its held-out training images chose; patience 4 outlasts two epochs.
                assertEquals(2, trained);
                assertTrue(kept == 1 || kept == 2, "epoch kept " + kept);
                // The choice's own reading: the held-out images' nearest-image accuracy at the kept epoch, above chance.
                double heldOut = t.doubleColumn("held_out_accuracy_at_kept_epoch").get(r);
                assertTrue(heldOut > 0.13 && heldOut <= 1, "held-out nearest image " + heldOut);
            } else {
                assertTrue(t.doubleColumn("held_out_accuracy_at_kept_epoch").isMissing(r), "no held-out choice");
                assertEquals(2, trained, "the other families train every epoch");
                assertEquals(2, kept, "and are read after the last");
            }
        }
        assertEquals(List.of("none", "random crop (pad 2) and horizontal flip", "random crop (pad 2) and horizontal flip",
                        "random crop (pad 2) and horizontal flip"),
                t.stringColumn("augmentation").asList());
        assertEquals(List.of("Adam 0.003, cosine", "Adam 0.003, cosine",
                        "SGD 0.1, momentum 0.9, weight decay 0.0005, cosine after 1 warm-up epoch",
                        "SGD 0.1, momentum 0.9, weight decay 0.0005, cosine after 1 warm-up epoch"),
                t.stringColumn("optimizer").asList());
        // AlexNet's benchmark row is a triplet-loss model: an embedding read by its nearest training image.
        assertEquals(List.of("triplet loss (semi-hard negatives, margin 0.2), nearest training image of 64-value embeddings",
                        "cross-entropy, argmax of the class scores", "cross-entropy, argmax of the class scores",
                        "cross-entropy, argmax of the class scores"),
                t.stringColumn("objective").asList());
        // The same AlexNet-small with its last layer (512 inputs) giving 64 values instead of 10: 54 * (512 + 1) more.
        assertEquals(netbook.zoo.Zoo.get("alexnet-small").params() + 54 * 513, t.longColumn("params").get(0));
        // The triplet's other readings, by nearest class centroid and by a linear SVM, beside it; the other families have none.
        double centroid = t.doubleColumn("test_accuracy_nearest_centroid").get(0);
        assertTrue(centroid > 0.13 && centroid <= 1, "nearest centroid " + centroid);
        double svm = t.doubleColumn("test_accuracy_linear_svm").get(0);
        assertTrue(svm > 0.13 && svm <= 1, "linear SVM " + svm);
        for (int r = 1; r < t.rowCount(); r++) {
            assertTrue(t.doubleColumn("test_accuracy_nearest_centroid").isMissing(r));
            assertTrue(t.doubleColumn("test_accuracy_linear_svm").isMissing(r));
        }
        assertTrue(Files.size(out.resolve("fashion-benchmark.csv")) > 0);
        // The title says what AlexNet trained on: 2,000 quick images less the one in twelve held out.
        assertTrue(t.name().contains("2000 training images; AlexNet trains on 1833 of them and chooses its epoch on the other 167; 1000 test images"),
                t.name());
    }

    @Test
    void oneFamilyRunsAloneIntoItsOwnFile() throws Exception {
        Table t = new BenchmarkRecipe().run(new Recipe.Settings(false, 42, null, "alexnet"), out).get(0);
        assertEquals(List.of("alexnet-small"), t.stringColumn("netbook_model").asList());
        Table vgg = new BenchmarkRecipe().run(new Recipe.Settings(false, 42, null, "vgg16"), out).get(0);
        assertFalse(vgg.name().contains("AlexNet"), "no held-out split without AlexNet: " + vgg.name());
        assertTrue(Files.exists(out.resolve("fashion-benchmark-alexnet.csv")));
        assertEquals(List.of("alexnet", "vgg16", "googlenet", "resnet18"), new BenchmarkRecipe().parts());
    }
}

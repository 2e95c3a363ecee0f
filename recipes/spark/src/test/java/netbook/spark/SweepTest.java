package netbook.spark;

import static netbook.dsl.Layers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.SpecJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading sweep files: the trials they make, and the errors that name the file and the key. */
class SweepTest {
    @TempDir Path dir;

    static Net tiny() {
        return Net.input(1, 28, 28).named("tiny").add(conv(4, 3).padding(1), relu(), maxPool(2), flatten(), linear(10));
    }

    private Sweep parse(String json) {
        return Sweep.parse(json, "s.json", dir);
    }

    private String error(String json) {
        return assertThrows(NetbookException.class, () -> parse(json)).getMessage();
    }

    @Test
    void aGridIsEveryCombinationInFileOrderForEveryModel() throws Exception {
        Files.writeString(dir.resolve("tiny.json"), SpecJson.write(tiny()));
        Sweep s = parse("""
                {"name": "g", "models": ["alexnet-small", {"spec": "tiny.json"}], "data": {"source": "fashion-mnist", "train": 100},
                 "grid": {"lr": [0.001, 0.01], "seed": [1, 2, 3], "batch": 32}, "metric": "val_loss"}""");
        assertEquals(2 * 2 * 3, s.trials().size());
        assertEquals(List.of("alexnet-small", "tiny"), s.models().stream().map(Sweep.Model::name).toList());
        Trial first = s.trials().get(0), second = s.trials().get(1), seventh = s.trials().get(6);
        assertEquals(new Sweep.Settings("adam", 0.001, 0, 0, "cosine", 32, 1, -1, 0, 1), first.settings());
        assertEquals(2, second.settings().seed());   // the last key varies fastest
        assertEquals("tiny", seventh.model().name());
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), s.trials().stream().map(Trial::index).toList());
        assertEquals(false, s.higherIsBetter());
        assertEquals(100, s.data().train());
        // the spec that travels rebuilds the same network
        assertEquals(tiny().params(), SpecJson.read(seventh.model().specJson()).params());
    }

    @Test
    void everyExampleSweepReads() throws Exception {
        // recipes/spark/sweeps holds sweep files and the network specs they name; the README and
        // RESULTS.md run the sweeps, so a key that no longer parses should fail here, not there.
        List<Path> sweeps;
        try (var files = Files.list(Path.of("sweeps"))) {
            sweeps = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        int read = 0;
        for (Path f : sweeps) {
            if (Files.readString(f).contains("\"models\"")) {
                assertFalse(Sweep.read(f).trials().isEmpty(), f.toString());
                read++;
            }
        }
        assertTrue(read >= 5, "example sweeps read: " + read + " of " + sweeps);
    }

    @Test
    void aRandomSearchIsTheSameForTheSameDrawSeedAndStaysInItsRanges() {
        String json = """
                {"models": ["alexnet-small"], "data": {"source": "fashion-mnist"},
                 "random": {"trials": 20, "draw_seed": %d, "lr": {"log-uniform": [0.0001, 0.01]}, "momentum": {"uniform": [0.5, 0.9]},
                            "optimizer": "sgd", "batch": [32, 64, 128]}}""";
        Sweep a = parse(json.formatted(7)), b = parse(json.formatted(7)), c = parse(json.formatted(8));
        assertEquals(a.trials(), b.trials());
        assertNotEquals(a.trials(), c.trials());
        for (Trial t : a.trials()) {
            assertTrue(t.settings().lr() >= 1e-4 && t.settings().lr() <= 1e-2, t.toString());
            assertTrue(t.settings().momentum() >= 0.5 && t.settings().momentum() <= 0.9, t.toString());
            assertTrue(List.of(32, 64, 128).contains(t.settings().batch()), t.toString());
        }
        assertEquals(3, a.trials().stream().map(t -> t.settings().batch()).distinct().count());
    }

    @Test
    void errorsNameTheFileAndTheKey() throws Exception {
        assertEquals("s.json: unknown key \"lerning_rate\"; the keys are [data, grid, metric, models, name, random]",
                error("{\"models\": [\"alexnet-small\"], \"data\": {\"source\": \"fashion-mnist\"}, \"lerning_rate\": 1}"));
        assertTrue(error("{\"models\": [\"alexnet-small\"], \"data\": {\"source\": \"fashion-mnist\"}, \"grid\": {\"lrr\": [1]}}")
                .startsWith("s.json: \"grid\": unknown key \"lrr\"; the keys are [augment, batch, epochs, erase, lr, momentum, optimizer, schedule, seed, weight_decay]"));
        assertEquals("s.json: \"grid\": \"erase\" is a probability from 0 to 1, received 1.5",
                error("{\"models\": [\"alexnet-small\"], \"data\": {\"source\": \"fashion-mnist\"}, \"grid\": {\"erase\": [0, 1.5]}}"));
        assertTrue(error("{\"models\": [\"alexnet-small\", \"no-such-net\"], \"data\": {\"source\": \"fashion-mnist\"}, \"grid\": {}}")
                .startsWith("s.json: \"models\"[1]: "));
        assertEquals("s.json: \"models\"[0]: alexnet takes (N, 3, 224, 224) but Fashion-MNIST images are (N, 1, 28, 28); pick a model ending in -small (./netbook zoo)",
                error("{\"models\": [\"alexnet\"], \"data\": {\"source\": \"fashion-mnist\"}, \"grid\": {}}"));
        Files.writeString(dir.resolve("broken.json"), "{\"format\": \"netbook-spec/1\", \"name\": \"x\"}");
        assertTrue(error("{\"models\": [{\"spec\": \"broken.json\"}], \"data\": {\"source\": \"fashion-mnist\"}, \"grid\": {}}")
                .startsWith("s.json: \"models\"[0]: " + dir.resolve("broken.json") + ": network spec has no \"input\""));
        assertEquals("s.json: \"grid\": \"lr\" is a number, received \"fast\"",
                error("{\"models\": [\"alexnet-small\"], \"data\": {\"source\": \"fashion-mnist\"}, \"grid\": {\"lr\": [\"fast\"]}}"));
        assertEquals("s.json: \"grid\": \"momentum\" is for sgd; adam keeps its own moments",
                error("{\"models\": [\"alexnet-small\"], \"data\": {\"source\": \"fashion-mnist\"}, \"grid\": {\"momentum\": 0.9}}"));
        assertEquals("s.json: give either \"grid\" (every combination) or \"random\" (a seeded draw), neither is there",
                error("{\"models\": [\"alexnet-small\"], \"data\": {\"source\": \"fashion-mnist\"}}"));
        assertEquals("s.json: \"data\": a csv source needs \"label\": the column to predict",
                error("{\"models\": [\"mlp\"], \"data\": {\"source\": \"csv\", \"path\": \"p.csv\"}, \"grid\": {}}"));
        assertEquals("s.json: \"data\": \"path\" " + dir.resolve("nowhere") + " does not exist",
                error("{\"models\": [\"alexnet-small\"], \"data\": {\"source\": \"images\", \"path\": \"nowhere\"}, \"grid\": {}}"));
        assertTrue(error("{\"models\": [\"alexnet-small\"],").startsWith("s.json: not valid JSON"));
        assertEquals("s.json: \"metric\" is accuracy; one of [train_accuracy, train_loss, val_accuracy, val_loss]",
                error("{\"models\": [\"alexnet-small\"], \"data\": {\"source\": \"fashion-mnist\"}, \"grid\": {}, \"metric\": \"accuracy\"}"));
    }

    @Test
    void executorsGetTheDriversNumericsAndOneTaskSlotEach() {
        var conf = SparkTarget.on("sweep", "spark://10.0.0.5:7077", 2).sparkConf("t",
                java.util.Map.of("ATEN_CPU_CAPABILITY", "avx2", "ONEDNN_MAX_CPU_ISA", "AVX2", "MKL_CBWR", "AVX2", "HOME", "/root"));
        assertEquals("avx2", conf.get("spark.executorEnv.ATEN_CPU_CAPABILITY"));
        assertEquals("AVX2", conf.get("spark.executorEnv.ONEDNN_MAX_CPU_ISA"));
        assertEquals("AVX2", conf.get("spark.executorEnv.MKL_CBWR"));
        assertTrue(!conf.contains("spark.executorEnv.HOME"));
        assertEquals("2", conf.get("spark.executor.cores"));
        assertEquals("2", conf.get("spark.task.cpus"));
        assertTrue(!SparkTarget.on("sweep", "spark://10.0.0.5:7077", 1).sparkConf("t", java.util.Map.of()).contains("spark.executorEnv.MKL_CBWR"));
    }

    @Test
    void aMasterUrlIsCheckedBeforeSparkStarts() {
        String threads = assertThrows(NetbookException.class, () -> SparkSweep.on("local[2]", 1)).getMessage();
        assertTrue(threads.contains("DJL trains one model per JVM at a time"), threads);
        String bad = assertThrows(NetbookException.class, () -> SparkSweep.on("http://host:7077", 1)).getMessage();
        assertTrue(bad.startsWith("sweep: --master http://host:7077 is not a Spark master URL"), bad);
        assertEquals("spark://10.0.0.5:7077", SparkSweep.on("spark://10.0.0.5:7077", 2).master());
        assertTrue(SparkSweep.local(1).master().matches("local-cluster\\[[0-9]+,1,[0-9]+]"), SparkSweep.local(1).master());
    }

    @Test
    void aTrialThatDivergesReturnsARowThatSaysSo() throws Exception {
        // a linear model and a step of 1e38: the weights overflow after one update, the next loss is not finite
        Files.writeString(dir.resolve("linear.json"), SpecJson.write(Net.input(1, 28, 28).named("linear").add(flatten(), linear(10))));
        Sweep s = parse("""
                {"models": [{"spec": "linear.json"}], "data": {"source": "fashion-mnist", "train": 256, "test": 64},
                 "grid": {"optimizer": "sgd", "lr": [1e38], "schedule": "constant", "batch": 64}}""");
        Trial.Result r = s.trials().get(0).run(1, "test");
        assertEquals("diverged", r.status(), r.message());
        assertTrue(r.message().contains("training diverged at epoch"), r.message());
        assertTrue(Double.isNaN(r.valAccuracy()));
        assertEquals(null, r.model());
    }
}

package netbook.train;

import netbook.files.AtomicFiles;
import static netbook.dsl.Layers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.SpecJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint's manifest catches damage, old checkpoints still load, wrong shapes are named. */
class CheckpointTest {
    static Map<String, byte[]> entries(Path f) throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(f))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) out.put(e.getName(), zip.readAllBytes());
        }
        return out;
    }

    static void rewrite(Path from, Path to, UnaryOperator<Map<String, byte[]>> change) throws Exception {
        Map<String, byte[]> e = change.apply(entries(from));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (var x : e.entrySet()) {
                zip.putNextEntry(new ZipEntry(x.getKey()));
                zip.write(x.getValue());
                zip.closeEntry();
            }
        }
        Files.write(to, bytes.toByteArray());
    }

    static String loadError(Path f) {
        return assertThrows(NetbookException.class, () -> TrainedModel.load(f).close()).getMessage();
    }

    @Test
    void damageIsNamedAndOldCheckpointsLoad(@TempDir Path dir) throws Exception {
        Net net = Net.input(4).named("ckpt").add(linear(8), relu(), linear(3));
        Path good = dir.resolve("good.netbook");
        try (TrainedModel m = TrainedModel.untrained(net, 1)) {
            m.save(good);
        }
        assertEquals(Checkpoint.MANIFEST, entries(good).keySet().iterator().next(), "the manifest comes first");

        Path stamp = dir.resolve("stamp.netbook");
        rewrite(good, stamp, e -> { e.put("stamp.json", "{\"seed\": \"x\"}".getBytes()); return e; });
        assertEquals("checkpoint " + stamp + ": stamp.json has 13 bytes, the manifest says " + entries(good).get("stamp.json").length, loadError(stamp));

        Path flipped = dir.resolve("flipped.netbook");
        rewrite(good, flipped, e -> { e.get("params.bin")[e.get("params.bin").length - 1] ^= 1; return e; });
        assertEquals("checkpoint " + flipped + ": params.bin does not match its SHA-256 in the manifest (the file is damaged)", loadError(flipped));

        Path noMetrics = dir.resolve("cut.netbook");
        rewrite(good, noMetrics, e -> { e.remove("stamp.json"); return e; });
        assertEquals("checkpoint " + noMetrics + ": stamp.json is missing (the file is cut short or damaged)", loadError(noMetrics));

        // Written before manifests existed: no manifest, class names as types. It loads.
        Path old = dir.resolve("old.netbook");
        rewrite(good, old, e -> {
            e.remove(Checkpoint.MANIFEST);
            e.put("spec.json", new String(e.get("spec.json")).replace("\"@type\": \"linear\"", "\"@type\": \"netbook.dsl.spec.Linear\"")
                    .replace("\"@type\": \"node\"", "\"@type\": \"netbook.dsl.Node\"")
                    .replace("\"@type\": \"sequential\"", "\"@type\": \"netbook.dsl.spec.Sequential\"")
                    .replace("\"@type\": \"activation\"", "\"@type\": \"netbook.dsl.spec.Activation\"").getBytes());
            return e;
        });
        try (TrainedModel back = TrainedModel.load(old)) {
            assertEquals(net.body(), back.net().body());
        }

        // The right names, the wrong shapes: another spec over these parameters.
        Path reshaped = dir.resolve("reshaped.netbook");
        rewrite(good, reshaped, e -> {
            e.remove(Checkpoint.MANIFEST);
            e.put("spec.json", SpecJson.write(Net.input(4).named("ckpt").add(linear(9), relu(), linear(3))).getBytes());
            return e;
        });
        String msg = loadError(reshaped);
        assertTrue(msg.startsWith("checkpoint " + reshaped + ": parameter"), msg);
        assertTrue(msg.contains("(9, 4)") || msg.contains("do not fit"), msg);
    }

    @Test
    void atomicWritesKeepTheUmaskAndLeaveNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a.txt");
        AtomicFiles.writeString(f, "one");
        AtomicFiles.writeString(f, "two");
        assertEquals("two", Files.readString(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the file itself");
        }
        Path fresh = dir.resolve("fresh.txt");
        Files.writeString(fresh, "x");   // what the umask gives a new file here
        assertEquals(Files.getPosixFilePermissions(fresh), Files.getPosixFilePermissions(f));
        Path stale = dir.resolve(".a.txt.0123.tmp");
        Files.writeString(stale, "left by a crash");
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        AtomicFiles.writeString(f, "three");
        assertTrue(!Files.exists(stale), "a stale temporary file is removed");
    }
}

package netbook.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import netbook.dsl.NetbookException;
import netbook.dsl.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir Path dir;

    @Test
    void readsTheRealTestSet() {
        ArrayDataset test = FashionMnist.test();
        assertEquals(10_000, test.size());
        assertEquals(Shape.of(1, 28, 28), test.shape());
        int[] counts = new int[10];
        for (int i = 0; i < test.size(); i++) counts[test.label(i)]++;
        for (int c : counts) assertEquals(1000, c); // the test set is balanced
        assertEquals(64, test.sourceHash().length());
    }

    @Test
    void readsPlainAndGzipFilesAlike() throws IOException {
        writeSet(dir, 3, 2, 2, new int[] {0, 9, 4}, true);
        ArrayDataset a = FashionMnist.at(dir).testSet();
        Path plain = Files.createDirectory(dir.resolve("plain"));
        writeSet(plain, 3, 2, 2, new int[] {0, 9, 4}, false);
        ArrayDataset b = FashionMnist.at(plain).testSet();
        assertEquals(3, a.size());
        assertEquals(Shape.of(1, 2, 2), a.shape());
        assertEquals(List.of(0, 9, 4), List.of(a.label(0), a.label(1), a.label(2)));
        float[] fa = new float[4];
        float[] fb = new float[4];
        a.copyFeatures(1, fa, 0);
        b.copyFeatures(1, fb, 0);
        assertArrayEquals(fa, fb);
        assertEquals(4 / 255f, fa[0], 1e-7);
    }

    @Test
    void aMissingFileNamesItAndTheDebianPackage() {
        String msg = assertThrows(NetbookException.class, () -> FashionMnist.at(dir).testSet()).getMessage();
        assertEquals("Fashion-MNIST file " + dir.resolve("t10k-images-idx3-ubyte.gz") + " not found (nor t10k-images-idx3-ubyte). "
                + "Install Debian's data set (apt-get install dataset-fashion-mnist) or point -Dnetbook.fashion.dir "
                + "or FASHION_MNIST_DIR at a folder with the four IDX files", msg);
    }

    @Test
    void aWrongMagicNumberIsReported() throws IOException {
        writeSet(dir, 2, 2, 2, new int[] {1, 2}, true);
        Files.copy(dir.resolve("t10k-labels-idx1-ubyte.gz"), dir.resolve("t10k-images-idx3-ubyte.gz"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String msg = assertThrows(NetbookException.class, () -> FashionMnist.at(dir).testSet()).getMessage();
        assertEquals(dir.resolve("t10k-images-idx3-ubyte.gz")
                + ": magic number 0x00000801 is not an IDX image file (expected 0x00000803)", msg);
    }

    @Test
    void aTruncatedFileSaysHowMuchIsMissing() throws IOException {
        writeSet(dir, 2, 2, 2, new int[] {1, 2}, false);
        Path img = dir.resolve("t10k-images-idx3-ubyte");
        byte[] all = Files.readAllBytes(img);
        Files.write(img, java.util.Arrays.copyOf(all, all.length - 3));
        String msg = assertThrows(NetbookException.class, () -> FashionMnist.at(dir).testSet()).getMessage();
        assertEquals(img + ": truncated: the header promises 8 values ([2, 2, 2]) but only 5 follow", msg);
    }

    @Test
    void aFileThatIsNotGzipSaysSo() throws IOException {
        writeSet(dir, 2, 2, 2, new int[] {1, 2}, true);
        Files.writeString(dir.resolve("t10k-images-idx3-ubyte.gz"), "this is not gzip");
        String msg = assertThrows(NetbookException.class, () -> FashionMnist.at(dir).testSet()).getMessage();
        assertTrue(msg.startsWith(dir.resolve("t10k-images-idx3-ubyte.gz") + ": not a valid gzip file"), msg);
    }

    @Test
    void aLabelOutOfRangeNamesTheRecord() throws IOException {
        writeSet(dir, 3, 2, 2, new int[] {1, 12, 2}, true);
        String msg = assertThrows(NetbookException.class, () -> FashionMnist.at(dir).testSet()).getMessage();
        assertEquals(dir.resolve("t10k-labels-idx1-ubyte.gz") + ": record 1 has label 12, expected 0..9", msg);
    }

    @Test
    void batchesAreSeededAndCoverEveryExampleOnce() {
        List<int[]> a = Batches.of(10, 4, true, 7, 1);
        List<int[]> b = Batches.of(10, 4, true, 7, 1);
        List<int[]> c = Batches.of(10, 4, true, 7, 2);
        assertEquals(3, a.size());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i));
        assertTrue(!java.util.Arrays.equals(a.get(0), c.get(0)));
        boolean[] seen = new boolean[10];
        for (int[] batch : a) for (int i : batch) seen[i] = true;
        for (boolean s : seen) assertTrue(s);
    }

    /** Writes a tiny IDX test split with pixel value = index within the image. */
    static void writeSet(Path dir, int n, int h, int w, int[] labels, boolean gzip) throws IOException {
        ByteArrayOutputStream img = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(img)) {
            d.writeInt(0x803);
            d.writeInt(n);
            d.writeInt(h);
            d.writeInt(w);
            for (int i = 0; i < n; i++) for (int p = 0; p < h * w; p++) d.writeByte(i * h * w + p);
        }
        ByteArrayOutputStream lbl = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(lbl)) {
            d.writeInt(0x801);
            d.writeInt(n);
            for (int l : labels) d.writeByte(l);
        }
        write(dir.resolve("t10k-images-idx3-ubyte" + (gzip ? ".gz" : "")), img.toByteArray(), gzip);
        write(dir.resolve("t10k-labels-idx1-ubyte" + (gzip ? ".gz" : "")), lbl.toByteArray(), gzip);
    }

    private static void write(Path p, byte[] data, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            out.write(data);
        }
    }
}

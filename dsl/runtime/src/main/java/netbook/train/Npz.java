package netbook.train;

import netbook.files.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import netbook.dsl.NetbookException;

/**
 * NumPy's {@code .npz} (a zip of {@code .npy} arrays) for float32 tensors: the format NumPy and
 * PyTorch read and write without extra packages ({@code np.load}, {@code np.savez}), used to
 * exchange weights. Little-endian float32 ({@code <f4}) in C order; other dtypes are refused by name.
 */
public final class Npz {
    private Npz() {}

    /** One array: its key, shape and values in C order. */
    public record Entry(String name, long[] shape, float[] values) {
        public Entry {
            long n = 1;
            for (long d : shape) n *= d;
            if (n != values.length) throw new NetbookException("npz entry " + name + ": shape " + Arrays.toString(shape) + " holds " + n + " values, received " + values.length);
        }
    }

    public static void write(Path file, List<Entry> entries) throws IOException {
        AtomicFiles.write(file, os -> {
            try (ZipOutputStream zip = new ZipOutputStream(os)) {
                for (Entry e : entries) {
                    zip.putNextEntry(new ZipEntry(e.name() + ".npy"));
                    zip.write(npy(e));
                    zip.closeEntry();
                }
            }
        });
    }

    private static byte[] npy(Entry e) {
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < e.shape().length; i++) shape.append(e.shape()[i]).append(e.shape().length == 1 ? "," : (i + 1 < e.shape().length ? ", " : ""));
        shape.append(")");
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        String header = dict + " ".repeat(total - unpadded) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * e.values().length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        for (float v : e.values()) b.putFloat(v);
        return b.array();
    }

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /** The arrays of an .npz file, sorted by key. */
    public static List<Entry> read(Path file) {
        List<Entry> out = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry z; (z = zip.getNextEntry()) != null; ) {
                String name = z.getName().endsWith(".npy") ? z.getName().substring(0, z.getName().length() - 4) : z.getName();
                out.add(parse(file, name, zip.readAllBytes()));
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new NetbookException(file + ": no such file");
        } catch (ZipException | java.io.EOFException e) {
            throw new NetbookException(file + ": not an .npz file or truncated (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new NetbookException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (out.isEmpty()) throw new NetbookException(file + ": no arrays in this .npz file");
        out.sort(java.util.Comparator.comparing(Entry::name));
        return out;
    }

    private static Entry parse(Path file, String name, byte[] bytes) {
        String where = file + " [" + name + "]";
        if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new NetbookException(where + ": not a .npy array");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
        int start = major == 1 ? 10 : 12;
        String header = new String(bytes, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) throw new NetbookException(where + ": unreadable .npy header " + header.trim());
        if (!d.group(1).equals("<f4")) {
            throw new NetbookException(where + ": dtype " + d.group(1) + "; weights must be float32 ('<f4'): convert with .astype(numpy.float32)");
        }
        if (f.group(1).equals("True")) throw new NetbookException(where + ": Fortran order; save with numpy.ascontiguousarray");
        long[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
        long n = 1;
        for (long x : shape) n *= x;
        int offset = start + headerLen;
        if (bytes.length - offset != 4 * n) throw new NetbookException(where + ": " + (bytes.length - offset) + " data bytes for shape " + Arrays.toString(shape) + "; the file is damaged");
        float[] v = new float[(int) n];
        b.position(offset);
        b.asFloatBuffer().get(v);
        return new Entry(name, shape, v);
    }

    static String shape(long[] s) {
        return Arrays.toString(s);
    }
}

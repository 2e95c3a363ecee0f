package netbook.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class OpProfileTest {
    @TempDir
    Path dir;

    // Main thread: conv 0-10 holding two children (2-5, 6-8), a gap, relu 12-13; a second thread
    // with a single longer op; a metadata event and a profiler step marker that must be skipped.
    private static final String TRACE = """
            [{"name": "aten::conv2d", "ph": "X", "ts": 0, "dur": 10, "pid": "CPU", "tid": 1},
             {"name": "aten::mkldnn_convolution", "ph": "X", "ts": 2, "dur": 3, "pid": "CPU", "tid": 1},
             {"name": "aten::empty", "ph": "X", "ts": 6, "dur": 2, "pid": "CPU", "tid": 1},
             {"name": "aten::relu", "ph": "X", "ts": 12, "dur": 1, "pid": "CPU", "tid": 1},
             {"name": "aten::empty", "ph": "X", "ts": 100, "dur": 4, "pid": "CPU", "tid": 2},
             {"name": "ProfilerStep#1", "ph": "X", "ts": 0, "dur": 50, "pid": "CPU", "tid": 1},
             {"name": "thread_name", "ph": "M", "pid": "CPU", "tid": 1}]
            """;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void selfTimeExcludesNestedOpsAndGapsAreTheMainThreadsIdleTime() throws IOException {
        OpProfile.Trace t = OpProfile.read(write("t.json", TRACE));
        assertEquals(5.0, t.ops().get("aten::conv2d").selfUs(), 1e-9);
        assertEquals(3.0, t.ops().get("aten::mkldnn_convolution").selfUs(), 1e-9);
        assertEquals(6.0, t.ops().get("aten::empty").selfUs(), 1e-9); // 2 on thread 1 + 4 on thread 2
        assertEquals(2, t.ops().get("aten::empty").calls());
        assertEquals(15.0, t.selfUs(), 1e-9);
        // the busiest thread is thread 1: 0-10 and 12-13 busy, span 13
        assertEquals(13.0, t.spanUs(), 1e-9);
        assertEquals(11.0, t.busyUs(), 1e-9);
        assertEquals(2.0, t.gapUs(), 1e-9);
        assertTrue(!t.ops().containsKey("ProfilerStep#1"));
    }

    @Test
    void readsTheTraceEventsObjectFormToo() throws IOException {
        OpProfile.Trace t = OpProfile.read(write("o.json", "{\"traceEvents\": " + TRACE + "}"));
        assertEquals(15.0, t.selfUs(), 1e-9);
    }

    @Test
    void tableGivesPerStepFiguresAndRatios() throws IOException {
        OpProfile.Trace ours = OpProfile.read(write("a.json", TRACE));
        // the peer's convolution takes 4 us instead of 3 (conv2d keeps 5 us of its own: 11 - 4 - 2)
        OpProfile.Trace peer = OpProfile.read(write("b.json", TRACE.replace("\"dur\": 3,", "\"dur\": 4,").replace("\"dur\": 10,", "\"dur\": 11,")));
        Table table = OpProfile.table(ours, peer, 1, 3);
        assertEquals("aten::empty", table.stringColumn("op").get(0));                 // 6 us on both sides
        assertEquals("aten::conv2d", table.stringColumn("op").get(1));                // 5 us on both sides
        assertEquals(1.0, table.doubleColumn("time ratio").get(1), 1e-9);
        assertEquals("aten::mkldnn_convolution", table.stringColumn("op").get(2));
        assertEquals(0.75, table.doubleColumn("time ratio").get(2), 1e-9);           // 3 us against 4 us
        assertEquals("(other ops)", table.stringColumn("op").get(3));
        assertEquals(0.001, table.doubleColumn("netbook ms/step").get(3), 1e-9);      // relu's 1 us
        int all = table.stringColumn("op").indexOf("all ops, self time");
        assertEquals(5.0, table.doubleColumn("netbook calls/step").get(all), 1e-9); // conv2d, mkldnn, relu, empty x2
    }

    @Test
    void twoPassesAddUp() throws IOException {
        OpProfile.Trace t = OpProfile.read(write("t.json", TRACE));
        OpProfile.Trace twice = OpProfile.plus(OpProfile.plus(null, t), t);
        assertEquals(30.0, twice.selfUs(), 1e-9);
        assertEquals(4, twice.ops().get("aten::empty").calls());
        assertEquals(26.0, twice.spanUs(), 1e-9);
        assertEquals(4.0, twice.gapUs(), 1e-9);
    }

    @Test
    void aFileThatIsNotATraceNamesItself() throws IOException {
        Path bad = write("bad.json", "{\"other\": 1}");
        IOException e = assertThrows(IOException.class, () -> OpProfile.read(bad));
        assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
        Path noDur = write("nodur.json", "[{\"name\": \"x\", \"ph\": \"X\", \"ts\": 1}]");
        e = assertThrows(IOException.class, () -> OpProfile.read(noDur));
        assertTrue(e.getMessage().contains("event 0"), e.getMessage());
    }
}

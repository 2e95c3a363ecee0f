package netbook.kernel;

import java.lang.reflect.Method;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Moves JShell's class-path indexing into idle time. JShell indexes every jar on the class path and
 * the whole JDK in a background thread as soon as a session starts (the index lets completion offer
 * classes that are not imported yet). On a two-core machine that thread competes with the kernel's
 * start-up and its first few dozen cells; here it is paused while a cell runs and resumes once no
 * cell has run for {@link #IDLE_MS} ms, or at once when completion is asked for.
 *
 * <p>Pausing uses JShell's own {@code suspendIndexing}/{@code resumeIndexing}, which are not
 * exported: the JVM needs {@value #OPENS}. Without it {@link #available()} is false and indexing
 * runs as JShell schedules it.
 *
 * <pre>{@code
 * IdleIndexing indexing = new IdleIndexing(jshell.sourceCodeAnalysis(), IdleIndexing.IDLE_MS);
 * indexing.pause();            // a cell starts
 * indexing.resumeAfterIdle();  // it ended
 * }</pre>
 */
final class IdleIndexing implements AutoCloseable {
    /** How long the kernel must be without a running cell before indexing resumes. */
    static final long IDLE_MS = 1000;
    /** The JVM option that lets the kernel reach JShell's indexing switches. */
    static final String OPENS = "--add-opens=jdk.jshell/jdk.jshell=ALL-UNNAMED";

    private final SourceCodeAnalysis analysis;
    private final long idleMs;
    private final Method suspend;
    private final Method resume;
    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> pending;
    private boolean paused;
    private boolean closed;

    IdleIndexing(SourceCodeAnalysis analysis, long idleMs) {
        this.analysis = analysis;
        this.idleMs = idleMs;
        Method s = null;
        Method r = null;
        try {
            s = analysis.getClass().getMethod("suspendIndexing");
            r = analysis.getClass().getMethod("resumeIndexing");
            s.setAccessible(true);
            r.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Not opened (or a JDK without these methods): leave JShell's schedule alone.
            s = null;
            r = null;
        }
        suspend = s;
        resume = r;
        timer = suspend == null ? null : Executors.newSingleThreadScheduledExecutor(t -> {
            Thread th = new Thread(t, "netbook-idle-indexing");
            th.setDaemon(true);
            return th;
        });
    }

    /** Whether indexing can be paused in this JVM (see {@link #OPENS}). */
    boolean available() {
        return suspend != null;
    }

    /** Whether indexing is paused now. */
    synchronized boolean paused() {
        return paused;
    }

    /** A cell starts: indexing stops at the next jar or module it would read. */
    synchronized void pause() {
        cancelPending();
        if (available() && !paused && !closed) {
            call(suspend);
            paused = true;
        }
    }

    /** A cell ended: indexing resumes when no other cell starts within the idle time. */
    synchronized void resumeAfterIdle() {
        cancelPending();
        if (paused && !closed) {
            pending = timer.schedule(this::resumeNow, idleMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Indexing resumes now (completion wants the index; the session closes). */
    synchronized void resumeNow() {
        cancelPending();
        if (paused) {
            call(resume);
            paused = false;
        }
    }

    /** Resumes indexing (JShell's indexer thread is shared by every session in the JVM) and stops the timer. */
    @Override
    public synchronized void close() {
        resumeNow();
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void cancelPending() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    private void call(Method m) {
        try {
            m.invoke(analysis);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("JShell's " + m.getName() + " failed", e);
        }
    }
}

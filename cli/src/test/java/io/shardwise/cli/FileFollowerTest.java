package io.shardwise.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The follower on real files, with a stand-in for the producer that acknowledges when told. */
class FileFollowerTest {

    @TempDir
    Path dir;

    /** Records what was sent; acknowledges at once, or holds the futures until {@link #acknowledge}. */
    static final class Sent implements FileFollower.LineSender {
        final List<String> lines = new ArrayList<>();
        final List<String> keys = new ArrayList<>();
        final List<CompletableFuture<Void>> held = new ArrayList<>();
        boolean hold;
        int failNext;

        @Override
        public synchronized CompletableFuture<?> send(String partitionKey, byte[] data) {
            lines.add(new String(data, StandardCharsets.UTF_8));
            keys.add(partitionKey);
            if (failNext > 0) {
                failNext--;
                return CompletableFuture.failedFuture(new IllegalStateException("throttled"));
            }
            if (!hold) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> future = new CompletableFuture<>();
            held.add(future);
            return future;
        }

        void acknowledge(int index) {
            held.get(index).complete(null);
        }

        @Override
        public void flush() {
        }

        @Override
        public boolean refusedForGood(Throwable failure) {
            return false;
        }
    }

    private final Sent sent = new Sent();
    private final List<String> notes = new ArrayList<>();

    private FileFollower follower(String glob, int maxUnacknowledged) throws IOException {
        return new FileFollower(new FileFollower.Settings(List.of(dir.resolve(glob).toString()), dir.resolve("state"),
                maxUnacknowledged, Duration.ofMillis(10)), sent, PartitionKeys.of(null, null, null, true, true), notes::add);
    }

    private FileFollower follower(String glob) throws IOException {
        return follower(glob, 1000);
    }

    private void append(String file, String text) throws IOException {
        Files.writeString(dir.resolve(file), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static String lines(String prefix, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> prefix + i).collect(Collectors.joining("\n", "", "\n"));
    }

    private static List<String> list(String prefix, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> prefix + i).toList();
    }

    private Map<String, Long> savedOffsets() {
        Map<String, FollowState.Entry> entries = new FollowState(dir.resolve("state")).load();
        return entries.values().stream().collect(Collectors.toMap(e -> Path.of(e.path()).getFileName().toString(),
                FollowState.Entry::offset));
    }

    @Test
    void aPartialLastLineWaitsForItsNewline() throws IOException {
        FileFollower follower = follower("app.log");
        append("app.log", "one\r\n\ntw");
        follower.pollOnce();
        assertThat(sent.lines).containsExactly("one");
        assertThat(savedOffsets()).containsEntry("app.log", 6L);

        append("app.log", "o\nthree");
        follower.pollOnce();
        assertThat(sent.lines).containsExactly("one", "two");
        assertThat(savedOffsets()).containsEntry("app.log", 10L);
    }

    @Test
    void newFilesMatchingTheGlobArePickedUp() throws IOException {
        FileFollower follower = follower("*.log");
        append("a.log", lines("a", 0, 3));
        follower.pollOnce();
        append("b.log", lines("b", 0, 2));
        append("b.txt", lines("x", 0, 2));
        follower.pollOnce();

        assertThat(sent.lines).containsExactly("a0", "a1", "a2", "b0", "b1");
        assertThat(follower.counts().files()).isEqualTo(2);
    }

    @Test
    void renameRotationReadsTheOldFileToItsEndThenTheNewOne() throws IOException {
        FileFollower follower = follower("app.log");
        append("app.log", lines("old", 0, 3));
        follower.pollOnce();
        append("app.log", lines("old", 3, 5) + "last-without-newline");
        Files.move(dir.resolve("app.log"), dir.resolve("app.log.1"));
        append("app.log", lines("new", 0, 2));

        follower.pollOnce(); // the renamed file is read on; the new one from its start
        follower.pollOnce(); // the renamed file did not change: its last line goes, and it is closed
        follower.pollOnce(); // its lines are acknowledged: the state forgets it

        assertThat(sent.lines).containsExactlyInAnyOrderElementsOf(concat(list("old", 0, 5),
                List.of("last-without-newline"), list("new", 0, 2)));
        assertThat(sent.lines.subList(0, 5)).containsExactlyElementsOf(list("old", 0, 5));
        assertThat(notes).anyMatch(n -> n.contains("app.log no longer matches"));
        assertThat(savedOffsets()).containsOnlyKeys("app.log");
    }

    @Test
    void copyTruncateReadsTheFileAgainFromTheStart() throws IOException {
        FileFollower follower = follower("app.log");
        append("app.log", lines("before", 0, 4));
        follower.pollOnce();
        Files.copy(dir.resolve("app.log"), dir.resolve("app.log.1"));
        Files.write(dir.resolve("app.log"), new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
        append("app.log", lines("after", 0, 2));

        follower.pollOnce();

        assertThat(sent.lines).containsExactlyElementsOf(concat(list("before", 0, 4), list("after", 0, 2)));
        assertThat(notes).anyMatch(n -> n.contains("was truncated"));
        assertThat(savedOffsets()).containsEntry("app.log", (long) lines("after", 0, 2).length());
    }

    @Test
    void aTruncatedFileThatGrewPastTheOffsetIsToldByItsFirstBytes() throws IOException {
        FileFollower follower = follower("app.log");
        append("app.log", lines("x", 0, 2));
        follower.pollOnce();
        Files.write(dir.resolve("app.log"), new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
        append("app.log", lines("rewritten-", 0, 3));

        follower.pollOnce();

        assertThat(sent.lines).containsExactlyElementsOf(concat(list("x", 0, 2), list("rewritten-", 0, 3)));
    }

    @Test
    void aRestartSendsOnlyTheLinesAfterTheState() throws Exception {
        followedAndStopped(lines("l", 0, 5));

        append("app.log", lines("l", 5, 8));
        FileFollower second = follower("app.log");
        second.pollOnce();

        assertThat(sent.lines).containsExactlyElementsOf(list("l", 0, 8));
        assertThat(notes).contains("following " + dir.resolve("app.log") + " from byte " + lines("l", 0, 5).length());
    }

    @Test
    void theStateHoldsOnlyTheAcknowledgedPrefix() throws IOException {
        sent.hold = true;
        FileFollower follower = follower("app.log");
        append("app.log", "a\nb\nc\n");
        follower.pollOnce();
        assertThat(savedOffsets()).containsEntry("app.log", 0L);

        sent.acknowledge(1); // b before a: a is still missing
        follower.pollOnce();
        assertThat(savedOffsets()).containsEntry("app.log", 0L);

        sent.acknowledge(0);
        follower.pollOnce();
        assertThat(savedOffsets()).containsEntry("app.log", 4L);
        assertThat(follower.unacknowledged()).isEqualTo(1);
    }

    @Test
    void aCrashSendsAgainAtMostTheUnacknowledgedWindow() throws IOException {
        sent.hold = true;
        FileFollower crashed = follower("app.log", 5);
        append("app.log", lines("l", 0, 20));
        crashed.pollOnce();
        assertThat(sent.lines).as("the window stops the reading").hasSize(5);
        for (int i = 0; i < 5; i++) {
            sent.acknowledge(i); // the stream has them
        }
        crashed.pollOnce(); // checkpoints l0..l4, sends l5..l9
        assertThat(sent.lines).hasSize(10);
        sent.acknowledge(5);
        sent.acknowledge(6); // acknowledged, but the crash comes before the next checkpoint
        crashed.close(); // a crash: no finish, no more checkpoints

        Sent afterRestart = new Sent();
        FileFollower restarted = new FileFollower(new FileFollower.Settings(List.of(dir.resolve("app.log").toString()),
                dir.resolve("state"), 5, Duration.ofMillis(10)), afterRestart, PartitionKeys.of(null, null, null, true,
                true), notes::add);
        for (int i = 0; i < 5; i++) {
            restarted.pollOnce();
        }

        assertThat(afterRestart.lines).containsExactlyElementsOf(list("l", 5, 20));
        List<String> delivered = concat(list("l", 0, 7), afterRestart.lines);
        long duplicates = delivered.size() - delivered.stream().distinct().count();
        assertThat(duplicates).isEqualTo(2).isLessThanOrEqualTo(5);
    }

    @Test
    void aFailedLineIsSentAgain() throws Exception {
        sent.failNext = 1;
        FileFollower follower = follower("app.log");
        append("app.log", "a\nb\n");
        follower.pollOnce();
        assertThat(savedOffsets()).containsEntry("app.log", 0L);

        follower.pollOnce();

        assertThat(sent.lines).containsExactly("a", "b", "a");
        assertThat(savedOffsets()).containsEntry("app.log", 4L);
        assertThat(follower.counts().sentAgain()).isEqualTo(1);
        assertThat(notes).anyMatch(n -> n.contains("sending again a line that failed: throttled"));
    }

    @Test
    void aFileRenamedWhileStoppedIsReadToItsEnd() throws Exception {
        followedAndStopped(lines("l", 0, 3));
        append("app.log", lines("l", 3, 5));
        Files.move(dir.resolve("app.log"), dir.resolve("app.log.1"));
        append("app.log", lines("n", 0, 1));

        FileFollower second = follower("app.log");
        second.pollOnce();

        assertThat(sent.lines).containsExactlyInAnyOrderElementsOf(concat(list("l", 0, 5), list("n", 0, 1)));
        assertThat(notes).anyMatch(n -> n.contains("was renamed to " + dir.resolve("app.log.1") + " while stopped"));
    }

    @Test
    void aStateEntryWhoseFirstBytesDifferIsAnotherFile() throws IOException {
        append("app.log", lines("l", 0, 3));
        String key = FollowedFiles.fileKey(dir.resolve("app.log"));
        new FollowState(dir.resolve("state")).save(List.of(new FollowState.Entry(key, dir.resolve("app.log").toString(),
                6, new Fingerprint(3, "0".repeat(64)))));

        follower("app.log").pollOnce();

        assertThat(sent.lines).containsExactlyElementsOf(list("l", 0, 3));
        assertThat(notes).anyMatch(n -> n.contains("starts with other bytes"));
    }

    @Test
    void aFileWithAnotherKeyButTheSamePathAndFirstKilobyteIsTheSameFile() throws Exception {
        followedAndStopped(lines("a-fairly-long-line-of-the-log-", 0, 60)); // over 1 KiB
        FollowState state = new FollowState(dir.resolve("state"));
        FollowState.Entry saved = state.load().values().iterator().next();
        state.save(List.of(new FollowState.Entry("(dev=renumbered,ino=1)", saved.path(), saved.offset(),
                saved.fingerprint())));
        append("app.log", "one more\n");

        follower("app.log").pollOnce();

        assertThat(sent.lines).hasSize(61).endsWith("one more");
        assertThat(notes).anyMatch(n -> n.contains("device numbered anew?"));
    }

    @Test
    void aFileWithAnotherKeyAndAShortFingerprintIsANewFile() throws Exception {
        followedAndStopped("short\n");
        FollowState state = new FollowState(dir.resolve("state"));
        FollowState.Entry saved = state.load().values().iterator().next();
        state.save(List.of(new FollowState.Entry("(dev=renumbered,ino=1)", saved.path(), saved.offset(),
                saved.fingerprint())));

        follower("app.log").pollOnce();

        assertThat(sent.lines).containsExactly("short", "short");
    }

    @Test
    void aBrokenStateFileIsAnErrorThatSaysWhatToDo() throws IOException {
        Files.writeString(dir.resolve("state"), "{not json");

        assertThatThrownBy(() -> follower("app.log")).isInstanceOf(CliException.class)
                .hasMessageContaining("state file " + dir.resolve("state") + " is unreadable")
                .hasMessageContaining("move it away to start over");
    }

    @Test
    void twoFollowersCannotShareAStateFile() throws IOException {
        FileFollower first = follower("app.log");

        assertThatThrownBy(() -> follower("other.log")).isInstanceOf(CliException.class)
                .hasMessage("state file " + dir.resolve("state") + " is in use by another 'put --follow' (it holds "
                        + dir.resolve("state.lock") + "): give each follower its own --state");

        first.close();
        follower("other.log").close();
    }

    @Test
    void theDefaultStateFileIsNamedAfterTheStream() {
        assertThat(FollowedPut.defaultState("orders")).isEqualTo("shardwise-follow-orders.state");
        assertThat(FollowedPut.defaultState("arn:aws:kinesis:us-east-1:123456789012:stream/click-stream"))
                .isEqualTo("shardwise-follow-click-stream.state");
    }

    @Test
    void theStateFileIsReplacedWholeAndLeavesNoTemporaryFile() throws IOException {
        FollowState state = new FollowState(dir.resolve("state"));
        state.save(List.of(new FollowState.Entry("(dev=1,ino=2)", "/x", 10, Fingerprint.EMPTY)));
        state.save(List.of(new FollowState.Entry("(dev=1,ino=3)", "/y", 20, Fingerprint.EMPTY)));

        assertThat(state.load()).containsOnlyKeys("(dev=1,ino=3)");
        assertThat(state.load().get("(dev=1,ino=3)").offset()).isEqualTo(20);
        assertThat(Files.exists(state.temporaryFile())).isFalse();
    }

    @Test
    void aLineWithoutItsKeyIsSentWithARandomKeyAndReported() throws IOException {
        FileFollower follower = new FileFollower(new FileFollower.Settings(List.of(dir.resolve("app.log").toString()),
                dir.resolve("state"), 100, Duration.ofMillis(10)), sent,
                PartitionKeys.of(null, "user", null, false, true), notes::add);
        append("app.log", "{\"user\":\"ann\"}\nplain text\n{\"user\":7}\n");

        follower.pollOnce();

        assertThat(sent.lines).hasSize(3);
        assertThat(sent.keys.get(0)).isEqualTo("ann");
        assertThat(sent.keys.get(2)).isEqualTo("7");
        assertThat(sent.keys.get(1)).hasSize(36);
        assertThat(notes).anyMatch(n -> n.startsWith(dir.resolve("app.log") + " byte 15: not JSON")
                && n.endsWith("sent with a random partition key"));
        assertThat(follower.counts().randomKeys()).isEqualTo(1);
    }

    @Test
    void theStateFileItselfIsNeverFollowed() throws IOException {
        FileFollower follower = follower("*");
        append("app.log", "a\n");
        follower.pollOnce();
        follower.pollOnce();

        assertThat(sent.lines).containsExactly("a");
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    /** A follower of app.log that sends {@code text} appended to it, then stops as at the end of a run. */
    private void followedAndStopped(String text) throws Exception {
        FileFollower first = follower("app.log");
        append("app.log", text);
        first.pollOnce();
        first.finish(Duration.ofSeconds(5));
    }
}

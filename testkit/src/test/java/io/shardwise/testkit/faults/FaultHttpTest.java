package io.shardwise.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultHttpTest {

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsAHeadKeepingOrderAndSpellingAndEditsIt() throws IOException {
        InputStream in = stream("POST / HTTP/1.1\r\nHost: h\r\nX-Amz-Target: Kinesis_20131202.PutRecords\r\n"
                + "Content-Length: 3\r\n\r\nabc");
        FaultHttpHead head = FaultHttpHead.read(in);

        assertThat(head.startLine()).isEqualTo("POST / HTTP/1.1");
        assertThat(head.header("x-amz-target")).isEqualTo("Kinesis_20131202.PutRecords");
        assertThat(FaultHttpBody.read(FaultHttpBody.requestFraming(head), head, in)).containsExactly('a', 'b', 'c');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        head.withLength(5).without("Host").writeTo(out);
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo(
                "POST / HTTP/1.1\r\nX-Amz-Target: Kinesis_20131202.PutRecords\r\nContent-Length: 5\r\n\r\n");
    }

    @Test
    void aCleanCloseBeforeAHeadIsNoRequestButAHalfHeadIsAnError() throws IOException {
        assertThat(FaultHttpHead.read(stream(""))).isNull();
        assertThatThrownBy(() -> FaultHttpHead.read(stream("POST / HTTP/1.1\r\nHost"))).isInstanceOf(IOException.class);
    }

    @Test
    void readsAChunkedBodyWhole() throws IOException {
        FaultHttpHead head = FaultHttpHead.read(stream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
        InputStream body = stream("3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: x\r\n\r\n");

        assertThat(new String(FaultHttpBody.read(FaultHttpBody.responseFraming(head), head, body),
                StandardCharsets.ISO_8859_1)).isEqualTo("abcde");
    }

    @Test
    void relaysAChunkedBodyFlushingEveryChunkAsItArrives() throws IOException {
        FaultHttpHead head = FaultHttpHead.read(stream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
        List<String> flushed = new ArrayList<>();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                sink.write(b);
            }

            @Override
            public void flush() {
                flushed.add(sink.toString(StandardCharsets.ISO_8859_1));
            }
        };

        FaultHttpBody.relay(FaultHttpBody.responseFraming(head), head,
                stream("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"), out);

        assertThat(flushed).startsWith("3\r\nabc\r\n", "3\r\nabc\r\n2\r\nde\r\n");
        assertThat(sink.toString(StandardCharsets.ISO_8859_1)).isEqualTo("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
    }

    @Test
    void framingFollowsTheHeaders() throws IOException {
        assertThat(FaultHttpBody.responseFraming(FaultHttpHead.read(stream("HTTP/1.1 204 No Content\r\n\r\n"))))
                .isEqualTo(FaultHttpBody.Framing.NONE);
        assertThat(FaultHttpBody.responseFraming(FaultHttpHead.read(stream("HTTP/1.1 200 OK\r\n\r\n"))))
                .isEqualTo(FaultHttpBody.Framing.UNTIL_CLOSE);
        assertThat(FaultHttpBody.requestFraming(FaultHttpHead.read(stream("GET / HTTP/1.1\r\n\r\n"))))
                .isEqualTo(FaultHttpBody.Framing.NONE);
    }

    @Test
    void aBodyShorterThanItsLengthIsAnError() throws IOException {
        FaultHttpHead head = FaultHttpHead.read(stream("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"));

        assertThatThrownBy(() -> FaultHttpBody.read(FaultHttpBody.Framing.LENGTH, head, stream("abc")))
                .isInstanceOf(EOFException.class).hasMessageContaining("3 of 10");
    }
}

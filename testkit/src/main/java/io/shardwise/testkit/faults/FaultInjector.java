package io.shardwise.testkit.faults;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Decides and applies the faults for one HTTP/1.1 request, in this order: stall, latency, dropped
 * connection, server error, whole-call throttle, then the per-record faults of Kinesis PutRecord
 * and PutRecords. Errors are written in the style of the request's service (Kinesis or DynamoDB). A request no fault applies to is forwarded and its answer relayed as it streams in.
 */
final class FaultInjector {

    private static final String TARGET_HEADER = "X-Amz-Target";

    private final URI upstream;
    private final Supplier<FaultRules> rules;
    private final FaultDice dice;
    private final FaultTally tally;
    private final FaultStall stall;
    private final ShardLimiter shardLimiter;

    FaultInjector(URI upstream, Supplier<FaultRules> rules, FaultDice dice, FaultTally tally, FaultStall stall,
                  ShardLimiter shardLimiter) {
        this.upstream = upstream;
        this.rules = rules;
        this.dice = dice;
        this.tally = tally;
        this.stall = stall;
        this.shardLimiter = shardLimiter;
    }

    /** Answers one request on {@code out}; returns false when the client connection must close. */
    boolean handle(FaultHttpHead request, byte[] body, FaultUpstream connection, OutputStream out) throws IOException {
        String target = request.header(TARGET_HEADER);
        String operation = target == null ? "HTTP" : FaultRules.operationName(target);
        tally.request(operation, request.header("Content-Type"));
        if (target == null) {
            return forward(request, body, connection, out);
        }
        FaultService service = FaultService.ofTarget(target);
        FaultPayloads payloads = FaultPayloads.forContentType(request.header("Content-Type"));
        if (stall.await(operation, () -> tally.injected(FaultKind.STALLED, operation, 1))) {
            if (stall.mode() == FaultProxy.StallMode.THROTTLE) {
                return FaultAnswers.throttle(out, payloads, service, service.throttleMessage()
                        + " (the endpoint is stalled)");
            }
        }
        FaultRules current = rules.get();
        FaultDice.Plan plan = dice.roll(operation, current);
        if (!plan.latency().isZero()) {
            tally.injected(FaultKind.LATENCY, operation, 1);
            sleep(plan.latency());
        }
        if (plan.drop()) {
            tally.injected(FaultKind.DROPPED_CONNECTION, operation, 1);
            return false;
        }
        if (plan.errorStatus() == 500) {
            tally.injected(FaultKind.SERVER_ERROR_500, operation, 1);
            return FaultAnswers.error(out, payloads, service, "500 Internal Server Error",
                    service.internalErrorCode(), "Injected internal failure (FaultProxy)");
        }
        if (plan.errorStatus() == 503) {
            tally.injected(FaultKind.SERVER_ERROR_503, operation, 1);
            return FaultAnswers.error(out, payloads, service, "503 Service Unavailable", "ServiceUnavailable",
                    "Injected service unavailable (FaultProxy)");
        }
        if (plan.throttle()) {
            tally.injected(FaultKind.THROTTLED_CALL, operation, 1);
            return FaultAnswers.throttle(out, payloads, service, service.throttleMessage());
        }
        if (service != FaultService.KINESIS) {
            return forward(request, body, connection, out);
        }
        if (operation.equals("GetShardIterator") && !current.goneShards().isEmpty()
                && FaultGoneShards.answersGone(body, payloads, current.goneShards(), tally, out)) {
            return true;
        }
        if (operation.equals("ListShards") && !current.goneShards().isEmpty()) {
            return listShardsWithoutGone(request, body, payloads, current, connection, out);
        }
        if (operation.equals("PutRecord") && current.touchesEntries()) {
            return putRecord(request, body, payloads, current, connection, out);
        }
        if (operation.equals("PutRecords") && current.touchesEntries()) {
            return putRecords(request, body, payloads, current, plan.entries(), connection, out);
        }
        return forward(request, body, connection, out);
    }

    private boolean putRecord(FaultHttpHead request, byte[] body, FaultPayloads payloads, FaultRules current,
                              FaultUpstream connection, OutputStream out) throws IOException {
        JsonNode put;
        try {
            put = payloads.read(body);
        } catch (IOException unreadable) {
            return forward(request, body, connection, out); // upstream names what is wrong with it
        }
        String stream = FaultPutRecords.streamOf(put);
        String partitionKey = put.path("PartitionKey").asText(null);
        if (partitionKey != null && current.throttlesPartitionKey(partitionKey)) {
            tally.injected(FaultKind.THROTTLED_CALL, "PutRecord", 1);
            return FaultAnswers.throttle(out, payloads, FaultService.KINESIS,
                    "Rate exceeded for stream " + stream + " (injected by FaultProxy)");
        }
        if (current.shardLimits()) {
            JsonNode hashKey = put.get("ExplicitHashKey");
            ShardLimiter.Verdict verdict = shardLimiter.admit(stream, partitionKey,
                    hashKey == null || hashKey.isNull() ? null : hashKey.asText(),
                    FaultPutRecords.dataLength(put), new ShardLimitShardLister(upstream, request));
            if (!verdict.admitted()) {
                tally.injected(FaultKind.SHARD_LIMIT_CALL, "PutRecord", 1);
                return FaultAnswers.throttle(out, payloads, FaultService.KINESIS, shardLimitMessage(verdict.shardId(), stream));
            }
        }
        return forward(request, body, connection, out);
    }

    private boolean putRecords(FaultHttpHead request, byte[] body, FaultPayloads payloads, FaultRules current,
                               SplittableRandom entryDice, FaultUpstream connection, OutputStream out)
            throws IOException {
        FaultPutRecords put;
        try {
            put = FaultPutRecords.parse(payloads, body);
        } catch (IOException unreadable) {
            return forward(request, body, connection, out); // upstream names what is wrong with it
        }
        BitSet failed = new BitSet(put.size());
        String[] messages = new String[put.size()];
        int throttled = 0;
        int overLimit = 0;
        ShardLimitShardLister lister = new ShardLimitShardLister(upstream, request);
        for (int i = 0; i < put.size(); i++) {
            boolean chosen = entryDice.nextDouble() < current.throttleEntryProbability()
                    || current.throttlesPartitionKey(put.partitionKey(i));
            if (chosen) {
                failed.set(i);
                messages[i] = "Rate exceeded for stream " + put.stream() + " (injected by FaultProxy)";
                throttled++;
            } else if (current.shardLimits()) {
                ShardLimiter.Verdict verdict = shardLimiter.admit(put.stream(), put.partitionKey(i),
                        put.explicitHashKey(i), put.dataLength(i), lister);
                if (!verdict.admitted()) {
                    failed.set(i);
                    messages[i] = shardLimitMessage(verdict.shardId(), put.stream());
                    overLimit++;
                }
            }
        }
        if (failed.isEmpty()) {
            return forward(request, body, connection, out);
        }
        FaultHttpHead answerHead = FaultAnswers.okHead(payloads);
        byte[] upstreamAnswer = null;
        boolean keepOpen = true;
        if (failed.cardinality() < put.size()) {
            byte[] forwarded = put.requestWithout(failed);
            answerHead = connection.exchange(request.withLength(forwarded.length), forwarded);
            FaultHttpBody.Framing framing = FaultHttpBody.responseFraming(answerHead);
            upstreamAnswer = FaultHttpBody.read(framing, answerHead, connection.in());
            keepOpen = keepsConnection(framing, answerHead, connection);
            if (answerHead.status() != 200) {
                // Upstream refused the call itself: that answer, not a merge, is what the caller gets.
                FaultAnswers.write(out, answerHead.withLength(upstreamAnswer.length), upstreamAnswer);
                return keepOpen;
            }
        }
        byte[] merged = put.mergedResponse(upstreamAnswer, failed, messages);
        tally.injected(FaultKind.THROTTLED_ENTRY, "PutRecords", throttled);
        tally.injected(FaultKind.SHARD_LIMIT_ENTRY, "PutRecords", overLimit);
        // The body changed, so a checksum of the old body must not reach the client.
        FaultAnswers.write(out, answerHead.without("x-amz-crc32").withLength(merged.length), merged);
        return keepOpen;
    }

    private boolean listShardsWithoutGone(FaultHttpHead request, byte[] body, FaultPayloads payloads,
                                          FaultRules current, FaultUpstream connection, OutputStream out)
            throws IOException {
        FaultHttpHead answerHead = connection.exchange(request, body);
        FaultHttpBody.Framing framing = FaultHttpBody.responseFraming(answerHead);
        byte[] answer = FaultHttpBody.read(framing, answerHead, connection.in());
        boolean keepOpen = keepsConnection(framing, answerHead, connection);
        byte[] listed = answerHead.status() == 200
                ? FaultGoneShards.withoutGone(answer, payloads, current.goneShards()) : answer;
        FaultAnswers.write(out, answerHead.without("x-amz-crc32").withLength(listed.length), listed);
        return keepOpen;
    }

    private static String shardLimitMessage(String shardId, String stream) {
        return "Rate exceeded for shard " + shardId + " in stream " + stream
                + " (per-shard write limit enforced by FaultProxy)";
    }

    private boolean forward(FaultHttpHead request, byte[] body, FaultUpstream connection, OutputStream out)
            throws IOException {
        FaultHttpHead response = connection.exchange(request, body);
        FaultHttpBody.Framing framing = request.startLine().startsWith("HEAD ")
                ? FaultHttpBody.Framing.NONE : FaultHttpBody.responseFraming(response);
        response.writeTo(out);
        out.flush();
        FaultHttpBody.relay(framing, response, connection.in(), out);
        return keepsConnection(framing, response, connection);
    }

    /** After an answer delimited by the close of upstream, or marked "close", both connections end. */
    private static boolean keepsConnection(FaultHttpBody.Framing framing, FaultHttpHead response,
                                           FaultUpstream connection) {
        if (framing == FaultHttpBody.Framing.UNTIL_CLOSE || response.hasToken("Connection", "close")) {
            connection.close();
            return false;
        }
        return true;
    }

    private static void sleep(Duration delay) throws InterruptedIOException {
        try {
            Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted during injected latency");
        }
    }
}

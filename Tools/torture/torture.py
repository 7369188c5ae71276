#!/usr/bin/env python3
"""Tools/torture: tries to break TraceSpool's crash, loss and safety promises with real processes, real files, real
signals and a misbehaving loopback backend, and counts what happened. See RELIABILITY.md.

Usage: Tools/torture/run [--bin DIR] [--size full|reduced] [--only NAME,...] [--runs N] [--seconds S] [--seed N]
                         [--markdown FILE] [--json FILE] [--keep]

Works on 127.0.0.1 and in its own temporary directory only (mounts it makes are inside that directory and are
unmounted on exit, Ctrl-C included). Exits 0 when every promise held, 1 when one was broken, 2 on usage errors,
130 when interrupted.
"""
import argparse
import json
import os
import platform
import pwd
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

try:
    import spool_view  # noqa: E402
    from otlp_receiver import Receiver  # noqa: E402
except ImportError as missing:
    print("torture: %s; install the test tooling with `bash Tools/install-deps.sh` (opentelemetry-proto for %s)"
          % (missing, sys.executable), file=sys.stderr)
    sys.exit(2)

OTHER_USER = "tracespool-test"
ACK = re.compile(r"spans=(\d+) flushed=(true|false)")
DROP_REASON = re.compile(r"dropped spans \(reason (\w+)\)")


class Interrupted(Exception):
    pass


def on_signal(signum, _frame):
    raise Interrupted("signal %d" % signum)


# -- results ---------------------------------------------------------------------------------------------------------
class Result:
    """The outcome of one scenario: what it promises, what it did, the counts, and every broken promise."""

    def __init__(self, name, title, promise, bound=""):
        self.name = name
        self.title = title
        self.promise = promise
        self.bound = bound
        self.iterations = {}
        self.counts = {"acknowledged": 0, "read back": 0, "delivered": 0, "duplicated": 0, "lost": 0}
        self.failures = []
        self.notes = []
        self.skipped = []
        self.seconds = 0.0
        self.capped = False
        self.interrupted = False

    def fail(self, message):
        if len(self.failures) < 50:
            self.failures.append(message)
        elif len(self.failures) == 50:
            self.failures.append("(more failures not listed)")

    def skip_environment(self, reason):
        """Skips a part this machine cannot run (no root, no FUSE); under CI=true that breaks the run instead."""
        if os.environ.get("CI") == "true":
            self.fail("skipped under CI=true, where every part must run: %s" % reason)
        else:
            self.skipped.append(reason)

    def add(self, **counts):
        for key, value in counts.items():
            self.counts[key.replace("_", " ")] += value

    def iterate(self, key, n=1):
        self.iterations[key] = self.iterations.get(key, 0) + n

    @property
    def status(self):
        if self.interrupted:
            return "INTERRUPTED"
        if self.failures:
            return "FAIL"
        if self.skipped and not self.iterations:
            return "SKIPPED"
        return "PASS"

    def iteration_text(self):
        text = ", ".join("%d %s" % (v, k) for k, v in self.iterations.items()) or "none"
        if self.capped:
            text += " (time cap reached)"
        return text

    def as_dict(self):
        return {"name": self.name, "title": self.title, "promise": self.promise, "bound": self.bound,
                "iterations": self.iterations, "counts": self.counts, "status": self.status,
                "failures": self.failures, "notes": self.notes, "skipped": self.skipped,
                "seconds": round(self.seconds, 1), "time_cap_reached": self.capped}


# -- the run context: processes, mounts, temporary files -------------------------------------------------------------
class Context:
    def __init__(self, args):
        self.args = args
        self.bin = os.path.abspath(args.bin)
        self.rng = random.Random(args.seed)
        self.tmp = tempfile.mkdtemp(prefix="tracespool-torture-")
        self.procs = []
        self.mounts = []
        self.is_root = os.geteuid() == 0
        self.full = args.size == "full"

    def progress(self, text):
        """A progress line on stderr, at most one every 15 s."""
        now = time.monotonic()
        if now - getattr(self, "_last_progress", 0) >= 15:
            self._last_progress = now
            print("  … %s" % text, file=sys.stderr, flush=True)

    def tool(self, name):
        return os.path.join(self.bin, name)

    def dir(self, *parts):
        path = os.path.join(self.tmp, *parts)
        os.makedirs(path, exist_ok=True)
        return path

    @staticmethod
    def child_env(extra=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "TRACESPOOL_"))}
        env.pop("HTTPS_PROXY", None)
        env.pop("HTTP_PROXY", None)
        env.pop("https_proxy", None)
        env.pop("http_proxy", None)
        env.update(extra or {})
        return env

    def spawn(self, argv, env=None, preexec=None):
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                             env=self.child_env(env), start_new_session=True, preexec_fn=preexec)
        p.started = time.monotonic()
        self.procs.append(p)
        return p

    def finish(self, p, timeout):
        """Waits for `p` up to `timeout` seconds (then SIGKILLs it); (returncode, stdout, stderr, seconds, hung)."""
        hung = False
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            hung = True
            self.kill(p)
            out, err = p.communicate()
        if p in self.procs:
            self.procs.remove(p)
        return p.returncode, out.decode(errors="replace"), err.decode(errors="replace"), \
            time.monotonic() - p.started, hung

    def run(self, argv, timeout=120, env=None):
        return self.finish(self.spawn(argv, env), timeout)

    @staticmethod
    def kill(p, sig=signal.SIGKILL):
        if p.poll() is None:
            try:
                os.kill(p.pid, sig)
            except ProcessLookupError:
                pass

    def mount(self, argv, target):
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.mounts.append(target)

    def unmount(self, target):
        if target in self.mounts:
            self.mounts.remove(target)
        subprocess.run(["umount", "-l", target], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def cleanup(self):
        for p in list(self.procs):
            self.kill(p)
            try:
                p.communicate(timeout=10)
            except Exception:
                pass
        self.procs.clear()
        for target in reversed(list(self.mounts)):
            self.unmount(target)
        if self.args.keep:
            print("kept %s" % self.tmp, file=sys.stderr)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


def signalled(returncode):
    return returncode is not None and returncode < 0


def describe_exit(returncode):
    if returncode is None:
        return "running"
    if returncode < 0:
        try:
            return "signal %s" % signal.Signals(-returncode).name
        except ValueError:
            return "signal %d" % -returncode
    return "exit %d" % returncode


def tail(text, lines=3):
    return " | ".join(text.strip().splitlines()[-lines:])


# -- shared steps ----------------------------------------------------------------------------------------------------
def demo_argv(ctx, spool, service, spans, payload, kill_after=None, flush_timeout_ms=5000):
    argv = [ctx.tool("tracespool-demo"), "--spool", spool, "--service", service, "--spans", str(spans),
            "--payload-bytes", str(payload), "--flush-timeout-ms", str(flush_timeout_ms)]
    if kill_after is not None:
        argv += ["--kill-after", str(kill_after), "--flush-before-kill"]
    return argv


def acknowledged(stdout):
    """The spans a demo process acknowledged as flushed (its summary line says flushed=true), else 0."""
    m = ACK.search(stdout)
    return int(m.group(1)) if m and m.group(2) == "true" else 0


def write_spans(ctx, spool, service, spans=40, payload=256, env=None, timeout=120):
    """Runs one demo writer to completion; its acknowledged span count (0 when it did not flush)."""
    rc, out, err, _, _ = ctx.run(demo_argv(ctx, spool, service, spans, payload), timeout=timeout, env=env)
    if rc != 0:
        raise RuntimeError("tracespool-demo %s: %s %s" % (describe_exit(rc), tail(out), tail(err)))
    return acknowledged(out)


def dump_span_keys(ctx, path, result, label):
    """The (trace, span) ids `tracespool-dump spans --json PATH` prints; None when it failed."""
    rc, out, err, _, hung = ctx.run([ctx.tool("tracespool-dump"), "spans", "--json", path], timeout=120)
    if signalled(rc) or hung:
        result.fail("%s: tracespool-dump spans %s (%s)" % (label, describe_exit(rc), tail(err)))
        return None
    keys = []
    for line in out.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        span = json.loads(line)
        trace_id = span.get("traceId", span.get("trace_id", ""))
        span_id = span.get("spanId", span.get("span_id", ""))
        keys.append((trace_id.lower(), span_id.lower()))
    return keys


def upload_argv(ctx, spools, sink, extra=()):
    argv = [ctx.tool("tracespool-upload"), *spools, "--once", "--no-progress", "--retry-base-ms", "20",
            "--retry-cap-ms", "200"]
    if sink.startswith("http"):
        argv += ["--endpoint", sink]
    else:
        argv += ["--sqlite", sink]
    return argv + list(extra)


def segment_files(directory):
    try:
        return [n for n in os.listdir(directory) if spool_view.is_segment(n)]
    except FileNotFoundError:
        return []


def store_rows(path):
    """(trace, span, service) of every row of a SQLite store; [] when it has no spans table."""
    if not os.path.exists(path):
        return []
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        return [(t.lower(), s.lower(), svc or "") for t, s, svc in
                db.execute("SELECT trace_id, span_id, service_name FROM spans")]
    except sqlite3.OperationalError:
        return []
    finally:
        db.close()


class Deadline:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def passed(self):
        return time.monotonic() >= self.end

    def left(self):
        return max(0.0, self.end - time.monotonic())


# -- 1. writer SIGKILL -----------------------------------------------------------------------------------------------
def scenario_writer_kill(ctx, r):
    runs = ctx.args.runs or (500 if ctx.full else 24)
    writers = 3
    per_spool = 25 if ctx.full else 12
    r.bound = "%d runs of %d concurrent writers per spool" % (runs, writers)
    receiver = Receiver()
    deadline = Deadline(ctx.cap(900, 45))
    try:
        # How long one writer takes, to spread the kills over its whole life.
        calibration = ctx.dir("s1", "calibration")
        t0 = time.monotonic()
        write_spans(ctx, calibration, "calibration", spans=20, payload=512)
        life = max(0.05, time.monotonic() - t0)
        raw_writer = ctx.tool("spool-test-writer")
        if not os.access(raw_writer, os.X_OK):
            r.notes.append("spool-test-writer not built: the record-prefix check of the format's writer is skipped")
            raw_writer = None
        run = 0
        batch = 0
        while run < runs and not deadline.passed():
            batch += 1
            spool = ctx.dir("s1", "spool-%d" % batch)
            raw = ctx.dir("s1", "records-%d" % batch)
            acks = {}
            for _ in range(min(per_spool, runs - run)):
                if deadline.passed():
                    r.capped = True
                    break
                run += 1
                r.iterate("runs")
                procs = []
                for w in range(writers):
                    service = "w%d-%d" % (run, w)
                    spans = ctx.rng.randint(3, 40)
                    env = {"TRACESPOOL_SEGMENT_BYTES": str(ctx.rng.choice([16 << 10, 64 << 10, 16 << 20]))}
                    if ctx.rng.random() < 0.4:
                        # Flushes after K spans, then SIGKILLs itself: K spans acknowledged, the rest never ended.
                        argv = demo_argv(ctx, spool, service, spans, ctx.rng.randint(16, 2048),
                                         kill_after=ctx.rng.randint(1, spans))
                        procs.append((service, ctx.spawn(argv, env), None))
                        r.iterate("writers flushing then killing themselves")
                    else:
                        argv = demo_argv(ctx, spool, service, spans, ctx.rng.randint(16, 2048))
                        procs.append((service, ctx.spawn(argv, env), ctx.rng.uniform(0, life * 1.3)))
                        r.iterate("writers killed at a random moment")
                if raw_writer:
                    # The format's own writer (SegmentWriter) too: appends numbered records until killed.
                    for w in range(2):
                        argv = [raw_writer, raw, "0", str(ctx.rng.randint(1, 20)), "--forever", "--pause-micros",
                                str(ctx.rng.randint(500, 5000)), "--max-segment-bytes", str(64 << 10)]
                        procs.append(("raw", ctx.spawn(argv), ctx.rng.uniform(0.05, life * 1.3)))
                start = time.monotonic()
                for service, p, kill_at in sorted(procs, key=lambda x: x[2] or 0):
                    if kill_at is not None:
                        wait = start + kill_at - time.monotonic()
                        if wait > 0:
                            try:
                                p.wait(timeout=wait)
                            except subprocess.TimeoutExpired:
                                pass
                        ctx.kill(p)
                for service, p, _ in procs:
                    rc, out, err, _, hung = ctx.finish(p, timeout=60)
                    if service == "raw":
                        r.iterate("record writers killed" if rc == -signal.SIGKILL else "record writers")
                        if rc not in (-signal.SIGKILL, 0):
                            r.fail("spool-test-writer %s: %s" % (describe_exit(rc), tail(out + err)))
                        continue
                    if hung:
                        r.fail("%s: writer hung for 60 s" % service)
                    if rc == 0:
                        r.iterate("writers that finished before their kill")
                    elif rc != -signal.SIGKILL:
                        r.fail("%s: writer %s: %s" % (service, describe_exit(rc), tail(err)))
                    acks[service] = acknowledged(out)
            check_writer_batch(ctx, r, spool, acks, receiver, batch)
            ctx.progress("writer-kill: %d of %d runs" % (run, runs))
            if raw_writer:
                check_record_prefixes(r, raw, batch)
        if run < runs:
            r.capped = True
    finally:
        receiver.stop()


RAW_RECORD = re.compile(rb"w(-?\d+):(\d+):")


def check_record_prefixes(r, directory, batch):
    """spool-test-writer records: each killed writer's records read back as 0, 1, 2, ... with no gap nor repeat."""
    indexes = {}
    for segment in spool_view.read_spool(directory):
        if segment.header_error or segment.damages:
            r.fail("records batch %d: %s: %s %s" % (batch, segment.path, segment.header_error, segment.damages))
        with open(segment.path, "rb") as f:
            data = f.read()
        for frame in segment.result["frames"]:
            for record_type, body in spool_view.records(spool_view.frame_payload(data, frame)):
                m = RAW_RECORD.match(body)
                if record_type != spool_view.SPAN_RECORD or not m:
                    r.fail("records batch %d: %s holds a record no writer wrote" % (batch, segment.path))
                    continue
                indexes.setdefault(int(m.group(1)), []).append(int(m.group(2)))
    for pid, got in indexes.items():
        r.iterate("records read back", len(got))
        if got != list(range(len(got))):
            r.fail("records batch %d: writer %d's records are not 0..%d in order: gaps or repeats" % (
                batch, pid, len(got) - 1))


def check_writer_batch(ctx, r, spool, acks, receiver, batch):
    label = "batch %d (%s)" % (batch, spool)
    segments = spool_view.read_spool(spool)
    by_service = spool_view.spans_by_service(segments)
    independent = {k for spans in by_service.values() for k in spans}
    dumped = dump_span_keys(ctx, spool, r, label)
    dumped_set = set(dumped or [])
    for segment in segments:
        if segment.header_error or segment.damages:
            r.fail("%s: %s: %s %s" % (label, os.path.basename(segment.path), segment.header_error,
                                      segment.damages))
        if segment.undecodable:
            r.fail("%s: %s: %d span records are not OTLP spans" % (label, segment.path, segment.undecodable))
    if dumped is not None and dumped_set != independent:
        r.fail("%s: tracespool-dump read %d spans, the independent reader %d (only dump: %d, only reader: %d)"
               % (label, len(dumped_set), len(independent), len(dumped_set - independent),
                  len(independent - dumped_set)))
    rc, out, err, _, hung = ctx.run(upload_argv(ctx, [spool], receiver.url), timeout=300)
    if signalled(rc) or hung:
        r.fail("%s: uploader %s%s: %s" % (label, describe_exit(rc), " (hung)" if hung else "", tail(err)))
    elif rc != 0:
        r.iterate("uploader passes exiting %d" % rc)
    delivered = receiver.delivered_keys()
    for service, ack in acks.items():
        spans = by_service.get(service, {})
        if len(spans) > ack:
            r.iterate("spans read back beyond the acknowledged", len(spans) - ack)
        got = sum(1 for k in spans if delivered.get(k, 0) >= 1)
        dumped_n = sum(1 for k in spans if k in dumped_set)
        r.add(acknowledged=ack, read_back=min(ack, len(spans), dumped_n), delivered=min(ack, got))
        lost = max(0, ack - min(len(spans), dumped_n, got))
        if lost:
            r.add(lost=lost)
            r.fail("%s: %s acknowledged %d spans; independent reader %d, dump %d, delivered %d"
                   % (label, service, ack, len(spans), dumped_n, got))
    for key in independent:
        n = delivered.get(key, 0)
        if n > 1:
            r.add(duplicated=n - 1)
            r.fail("%s: span %s/%s delivered %d times" % (label, key[0], key[1], n))
        elif n == 0:
            r.fail("%s: span %s/%s read back from the spool but never delivered" % (label, key[0], key[1]))
    if segment_files(spool):
        r.fail("%s: segments left after a complete --once pass: %s" % (label, segment_files(spool)))


# -- 2. uploader SIGKILL ---------------------------------------------------------------------------------------------
def scenario_uploader_kill(ctx, r):
    kills_wanted = ctx.args.runs or (60 if ctx.full else 8)
    batch = 100
    parallel = 2
    r.bound = ("duplicates <= kills x %d segments in flight x %d spans per batch (at-least-once); the SQLite sink "
               "stores a span once (primary key trace id, span id)" % (parallel, batch))
    for sink in ("otlp-http", "sqlite"):
        deadline = Deadline(ctx.cap(900, 60) / 2)
        receiver = Receiver() if sink == "otlp-http" else None
        try:
            uploader_kill_loop(ctx, r, sink, receiver, kills_wanted, batch, parallel, deadline)
        finally:
            if receiver:
                receiver.stop()


def uploader_kill_loop(ctx, r, sink, receiver, kills_wanted, batch, parallel, deadline):
    base = ctx.dir("s2", sink)
    spool = ctx.dir("s2", sink, "spool")
    staging = os.path.join(base, "staging")
    store = os.path.join(base, "store.sqlite")
    target = receiver.url if receiver else store
    expected = {}
    fills = 0
    kills = 0
    extra = ["--max-batch-spans", str(batch), "--parallel-segments", str(parallel)]

    def fill():
        nonlocal fills
        fills += 1
        os.makedirs(staging, exist_ok=True)
        for w in range(2):
            write_spans(ctx, staging, "%s-fill%d-%d" % (sink, fills, w), spans=ctx.rng.randint(500, 1500),
                        payload=ctx.rng.randint(64, 512), env={"TRACESPOOL_SEGMENT_BYTES": str(64 << 10)})
        for segment in spool_view.read_spool(staging):
            expected.update(segment.spans)
            os.rename(segment.path, os.path.join(spool, os.path.basename(segment.path)))

    while kills < kills_wanted and not deadline.passed():
        if not segment_files(spool):
            fill()
        # Two uploaders at once on the spool, each SIGKILLed at its own random moment (unless it finished).
        pair = [ctx.spawn(upload_argv(ctx, [spool], target, extra)) for _ in range(2)]
        start = time.monotonic()
        for at in sorted(ctx.rng.uniform(0.05, 0.8) for _ in pair):
            time.sleep(max(0.0, start + at - time.monotonic()))
            alive = [p for p in pair if p.poll() is None and not getattr(p, "killed", False)]
            if alive:
                victim = ctx.rng.choice(alive)
                ctx.kill(victim)
                victim.killed = True
        for p in pair:
            rc, out, err, _, hung = ctx.finish(p, timeout=300)
            if rc == -signal.SIGKILL and getattr(p, "killed", False) and not hung:
                kills += 1
            elif hung or signalled(rc):
                r.fail("%s: uploader %s: %s" % (sink, describe_exit(rc), tail(err)))
        r.iterate("uploader pairs (%s)" % sink)
        ctx.progress("uploader-kill: %s, %d of %d kills" % (sink, kills, kills_wanted))
    if kills < kills_wanted:
        r.capped = True
    r.iterate("kills (%s)" % sink, kills)
    rc, out, err, _, hung = ctx.run(upload_argv(ctx, [spool], target, extra), timeout=300)
    if rc != 0 or hung:
        r.fail("%s: final uploader %s: %s" % (sink, describe_exit(rc), tail(err)))
    if segment_files(spool):
        r.fail("%s: segments left after the final pass: %s" % (sink, segment_files(spool)[:5]))
    leftovers = sorted(os.listdir(spool))
    if leftovers:
        # Reported, not a broken promise: checkpoints and leases of killed uploaders that no pass removed.
        r.iterate("files left in the spool (%s)" % sink, len(leftovers))
        r.notes.append("%s: left in the spool after the final pass: %s" % (sink, ", ".join(leftovers[:6])))
    if receiver:
        delivered = receiver.delivered_keys()
        duplicates = sum(n - 1 for n in delivered.values() if n > 1)
    else:
        rows = store_rows(store)
        delivered = {}
        for t, s, _ in rows:
            delivered[(t, s)] = delivered.get((t, s), 0) + 1
        duplicates = sum(n - 1 for n in delivered.values() if n > 1)
    lost = [k for k in expected if delivered.get(k, 0) == 0]
    unexpected = [k for k in delivered if k not in expected]
    r.add(acknowledged=len(expected), read_back=len(expected), delivered=len(expected) - len(lost),
          duplicated=duplicates, lost=len(lost))
    if lost:
        r.fail("%s: %d of %d spans never delivered after %d kills" % (sink, len(lost), len(expected), kills))
    if unexpected:
        r.fail("%s: %d delivered spans were never written" % (sink, len(unexpected)))
    bound = kills * parallel * batch
    if duplicates > bound:
        r.fail("%s: %d duplicates after %d kills exceed the bound %d" % (sink, duplicates, kills, bound))
    r.notes.append("%s: %d kills, %d duplicates (bound %d)" % (sink, kills, duplicates, bound))


# -- 3. damage -------------------------------------------------------------------------------------------------------
def damage(ctx, data, source):
    """A damaged copy of `data` (the bytes of `source`) and the damaged byte ranges [(start, end)]."""
    header_length = source.header_length
    kind = ctx.rng.choice(["truncate", "zero-page", "bit-flips", "truncate+flip", "cut at a frame boundary"])
    out = bytearray(data)
    ranges = []
    if kind == "cut at a frame boundary":
        # Whole frames lost from the end: only a seal record tells a reader that the segment is short.
        cut = ctx.rng.choice([header_length] + [o + n for o, n, _ in source.frames[:-1]])
        del out[cut:]
        ranges.append((cut, len(data)))
    elif kind.startswith("truncate"):
        cut = ctx.rng.randint(header_length // 2, len(data) - 1)
        del out[cut:]
        ranges.append((cut, len(data)))
    if kind == "zero-page":
        page = ctx.rng.choice([512, 4096])
        start = ctx.rng.randrange(0, len(data), page)
        end = min(len(data), start + page)
        out[start:end] = bytes(end - start)
        ranges.append((start, end))
    if kind.endswith("flip") or kind == "bit-flips":
        for _ in range(ctx.rng.randint(1, 8)):
            if not out:
                break
            i = ctx.rng.randrange(len(out))
            out[i] ^= 1 << ctx.rng.randrange(8)
            ranges.append((i, i + 1))
    return kind, bytes(out), ranges


def scenario_damage(ctx, r):
    wanted = ctx.args.runs or (300 if ctx.full else 36)
    r.bound = "%d damaged segments" % wanted
    deadline = Deadline(ctx.cap(600, 35))
    receiver = Receiver()
    try:
        source_dir = ctx.dir("s3", "sources")
        sources = []
        count = 30 if ctx.full else 12
        for i in range(count):
            write_spans(ctx, source_dir, "src-%d" % i, spans=ctx.rng.randint(20, 120),
                        payload=ctx.rng.randint(64, 3000), env={"TRACESPOOL_SEGMENT_BYTES": str(24 << 10)})
        for segment in spool_view.read_spool(source_dir):
            if segment.frames and not segment.damages and not segment.header_error:
                sources.append(segment)
        r.notes.append("%d source segments, %d frames" % (len(sources), sum(len(s.frames) for s in sources)))
        done = 0
        batch = 0
        while done < wanted and not deadline.passed():
            batch += 1
            chosen = ctx.rng.sample(sources, min(len(sources), wanted - done))
            copies = []
            for n, source in enumerate(chosen):
                with open(source.path, "rb") as f:
                    data = f.read()
                kind, bad, ranges = damage(ctx, data, source)
                name = os.path.basename(source.path)
                if ctx.rng.random() < 0.3:
                    name = name[:-4] + ".open"  # an abandoned segment: a partial last frame is its tail
                directory = ctx.dir("s3", "b%d" % batch, "c%d" % n)
                path = os.path.join(directory, name)
                with open(path, "wb") as f:
                    f.write(bad)
                copies.append((source, kind, path, ranges))
                r.iterate(kind)
            done += len(copies)
            check_damage_batch(ctx, r, copies, receiver, batch)
            ctx.progress("damage: %d of %d segments" % (done, wanted))
        if done < wanted:
            r.capped = True
        r.iterations = {"damaged segments": done, **r.iterations}
    finally:
        receiver.stop()


def check_damage_batch(ctx, r, copies, receiver, batch):
    before = receiver.delivered_keys()
    for source, kind, path, ranges in copies:
        label = "batch %d %s (%s)" % (batch, path, kind)
        header_hit = any(a < source.header_length for a, _ in ranges)
        intact_frames = [] if header_hit else [
            (o, n, keys) for o, n, keys in source.frames
            if all(b <= o or a >= o + n for a, b in ranges)]
        intact = {k for _, _, keys in intact_frames for k in keys}
        r.add(acknowledged=len(intact))
        # The independent reader: every intact frame, and nothing that is not an original frame.
        seen = spool_view.Segment(path)
        original = {(o, n): keys for o, n, keys in source.frames}
        for o, n, keys in seen.frames:
            if (o, n) not in original or keys != original[(o, n)]:
                r.fail("%s: the independent reader accepted a frame at %d+%d that is not an original frame"
                       % (label, o, n))
        missing_frames = [(o, n) for o, n, _ in intact_frames if (o, n) not in {(a, b) for a, b, _ in seen.frames}]
        if missing_frames:
            r.fail("%s: the independent reader missed intact frames %s" % (label, missing_frames[:5]))
        # tracespool-dump: spans, verify, ls, stats never trap; spans returns every intact span and only originals.
        dumped = set(dump_span_keys(ctx, path, r, label) or [])
        if dumped - set(source.spans):
            r.fail("%s: tracespool-dump printed %d spans that are not in the original" % (label,
                                                                                       len(dumped - set(source.spans))))
        read_back = len(intact & dumped & set(seen.spans))
        r.add(read_back=read_back)
        if read_back < len(intact):
            r.fail("%s: %d intact spans, read back %d (dump %d, independent reader %d)"
                   % (label, len(intact), read_back, len(intact & dumped), len(intact & set(seen.spans))))
        for argv in (["verify", path], ["verify", "--json", path], ["ls", os.path.dirname(path)],
                     ["stats", os.path.dirname(path)], ["tree", path]):
            rc, _, err, _, hung = ctx.run([ctx.tool("tracespool-dump"), *argv], timeout=60)
            r.iterate("tool runs")
            if argv[0] == "verify" and len(argv) == 2 and rc in (0, 2):
                damaged = len(intact_frames) < len(source.frames) or header_hit
                if damaged and rc == 0 and path.endswith(".seg"):
                    # A sealed segment ends with its seal record (FORMAT.md §5): any loss of frames is detectable.
                    r.fail("%s: verify called a damaged sealed segment clean" % label)
            if signalled(rc) or hung:
                r.fail("%s: tracespool-dump %s: %s: %s" % (label, " ".join(argv[:-1]), describe_exit(rc), tail(err)))
    # One uploader pass over every copy of the batch.
    dirs = [os.path.dirname(path) for _, _, path, _ in copies]
    rc, _, err, _, hung = ctx.run(upload_argv(ctx, dirs, receiver.url), timeout=600)
    r.iterate("tool runs")
    if signalled(rc) or hung:
        r.fail("batch %d: tracespool-upload %s: %s" % (batch, describe_exit(rc), tail(err)))
    after = receiver.delivered_keys()
    for source, kind, path, ranges in copies:
        label = "batch %d %s (%s)" % (batch, path, kind)
        header_hit = any(a < source.header_length for a, _ in ranges)
        intact = set() if header_hit else {
            k for o, n, keys in source.frames if all(b <= o or a >= o + n for a, b in ranges) for k in keys}
        got = {k: after.get(k, 0) - before.get(k, 0) for k in source.spans}
        delivered_intact = sum(1 for k in intact if got[k] >= 1)
        r.add(delivered=delivered_intact, duplicated=sum(max(0, n - 1) for n in got.values()))
        lost = len(intact) - delivered_intact
        if lost:
            r.add(lost=lost)
            r.fail("%s: %d intact spans not delivered" % (label, lost))
        for k, n in got.items():
            if n > 1:
                r.fail("%s: span %s/%s delivered %d times" % (label, k[0], k[1], n))
            if n >= 1 and receiver.body.get(k) != source.spans[k]:
                r.fail("%s: span %s/%s delivered with different bytes" % (label, k[0], k[1]))
    known = set()
    for source, _, _, _ in copies:
        known.update(source.spans)
    strangers = [k for k in after if k not in before and k not in known]
    if strangers:
        r.fail("batch %d: %d delivered spans are not in any original segment" % (batch, len(strangers)))


# -- 4. backend faults -----------------------------------------------------------------------------------------------
def scenario_backend_faults(ctx, r):
    phase = 20 if ctx.full else 3
    outage = 130 if ctx.full else 6
    retry_after = 2
    r.bound = ("each fault held %d s; outage (connection refused) %d s; Retry-After: %d honoured to %d ms"
               % (phase, outage, retry_after, 50))
    receiver = Receiver(retry_after_seconds=retry_after)
    spool = ctx.dir("s4", "spool")
    staging = ctx.dir("s4", "staging")
    expected = {}
    uploader = ctx.spawn([ctx.tool("tracespool-upload"), spool, "--endpoint", receiver.url, "--no-progress",
                          "--max-latency-ms", "200", "--retry-base-ms", "100", "--retry-cap-ms", "2000",
                          "--retry-max-elapsed-ms", "900000", "--timeout-ms", "2000", "--max-batch-spans", "100",
                          "--drain-deadline-ms", "5000"])
    try:
        deadline = Deadline(ctx.cap(600, 60))
        for fault in ["429", "503", "reset", "hang", "down", "outage"]:
            if deadline.passed():
                r.capped = True
                break
            mode = "down" if fault == "outage" else fault
            hold = outage if fault == "outage" else phase
            receiver.set_mode(mode)
            r.iterate("fault phases")
            new = {}
            for w in range(2):
                write_spans(ctx, staging, "%s-%d" % (fault, w), spans=ctx.rng.randint(50, 250), payload=512)
            for segment in spool_view.read_spool(staging):
                new.update(segment.spans)
                os.rename(segment.path, os.path.join(spool, os.path.basename(segment.path)))
            expected.update(new)
            time.sleep(hold)
            during = receiver.delivered_keys()
            receiver.set_mode("ok")
            t0 = time.monotonic()
            limit = max(10, min(120, deadline.left()))
            while time.monotonic() - t0 < limit:
                delivered = receiver.delivered_keys()
                if all(delivered.get(k, 0) >= 1 for k in expected):
                    break
                if uploader.poll() is not None:
                    break
                time.sleep(0.1)
            if uploader.poll() is not None:
                r.fail("%s: the following uploader stopped by itself: %s" % (fault, describe_exit(uploader.poll())))
                break
            delivered = receiver.delivered_keys()
            missing = [k for k in new if delivered.get(k, 0) == 0]
            leaked = sum(1 for k in new if during.get(k, 0) >= 1)
            if leaked:
                r.fail("%s: %d spans counted as delivered while the backend refused them" % (fault, leaked))
            if missing:
                r.fail("%s: %d of %d spans not delivered %d s after the backend came back"
                       % (fault, len(missing), len(new), limit))
            ctx.progress("backend-faults: %s done" % fault)
            r.notes.append("%s: %d spans delivered %.1f s after recovery" % (fault, len(new) - len(missing),
                                                                              time.monotonic() - t0))
        ctx.kill(uploader, signal.SIGTERM)
        rc, _, err, _, hung = ctx.finish(uploader, timeout=30)
        if rc != 0 or hung:
            r.fail("uploader after SIGTERM: %s%s: %s" % (describe_exit(rc), " (hung)" if hung else "", tail(err)))
    finally:
        ctx.kill(uploader)
        receiver.stop()
    delivered = receiver.delivered_keys()
    duplicates = sum(n - 1 for k, n in delivered.items() if n > 1)
    lost = sum(1 for k in expected if delivered.get(k, 0) == 0)
    r.add(acknowledged=len(expected), read_back=len(expected), delivered=len(expected) - lost,
          duplicated=duplicates, lost=lost)
    if duplicates:
        r.fail("%d spans delivered twice (the receiver counts only requests it answered 200)" % duplicates)
    if receiver.retry_after_violations:
        for v in receiver.retry_after_violations[:10]:
            r.fail("Retry-After not honoured: " + v)
    if receiver.retry_after_checks == 0:
        r.fail("no batch was retried after a 429: Retry-After was not exercised")
    r.notes.append("answers: %s; Retry-After checked on %d retried batches" % (
        ", ".join("%s %d" % kv for kv in sorted(receiver.statuses.items())), receiver.retry_after_checks))


# -- 5. disk faults --------------------------------------------------------------------------------------------------
FLUSH_MS = 2000
START_SLACK = 10.0  # seconds a debug executable may need besides the flush


def run_bounded_writer(ctx, r, label, spool, service, spans=40, payload=2048, extra_env=None):
    """One demo writer on a faulty disk: never killed by a signal, never past its flush bound; its ack count."""
    argv = demo_argv(ctx, spool, service, spans, payload, flush_timeout_ms=FLUSH_MS)
    rc, out, err, seconds, hung = ctx.run(argv, timeout=FLUSH_MS / 1000 + 60, env=extra_env)
    r.iterate("writer processes")
    bound = FLUSH_MS / 1000 + START_SLACK
    if hung or seconds > bound:
        r.fail("%s: writer took %.1f s (bound %.1f s)" % (label, seconds, bound))
    if signalled(rc):
        r.fail("%s: writer %s: %s" % (label, describe_exit(rc), tail(err)))
    elif rc not in (0, 3):
        r.fail("%s: writer exit %d: %s %s" % (label, rc, tail(out), tail(err)))
    ack = acknowledged(out)
    if rc == 3:
        r.iterate("flushes that reported loss")
        reasons = sorted(set(DROP_REASON.findall(err)))
        if not reasons:
            r.fail("%s: flush reported loss but the writer did not count dropped spans: %s" % (label, tail(err)))
        for reason in reasons:
            r.iterate("drops counted (%s)" % reason)
    return ack


def check_acks(r, label, spool, acks):
    by_service = spool_view.spans_by_service(spool_view.read_spool(spool))
    drops = sum(s.drops for s in spool_view.read_spool(spool))
    for service, ack in acks.items():
        have = len(by_service.get(service, {}))
        r.add(acknowledged=ack, read_back=min(ack, have))
        if have < ack:
            r.add(lost=ack - have)
            r.fail("%s: %s acknowledged %d spans, %d read back" % (label, service, ack, have))
    return drops


def scenario_disk_faults(ctx, r):
    r.bound = "flush timeout %d ms; a writer must exit within it + %.0f s" % (FLUSH_MS, START_SLACK)
    deadline = Deadline(ctx.cap(600, 60))
    for name, step in [("full", disk_full), ("read-only", disk_read_only), ("removed", disk_removed),
                       ("EIO", disk_eio)]:
        if deadline.passed():
            r.capped = True
            r.skipped.append("%s: the time cap was reached" % name)
            continue
        try:
            step(ctx, r)
        except SkipCase as skip:
            r.skip_environment("%s: %s" % (name, skip))


class SkipCase(Exception):
    pass


def disk_full(ctx, r):
    if not ctx.is_root:
        raise SkipCase("needs root to mount a small tmpfs")
    mnt = ctx.dir("s5", "full")
    ctx.mount(["mount", "-t", "tmpfs", "-o", "size=256k", "tracespool-torture",
               mnt], mnt)
    try:
        spool = os.path.join(mnt, "spool")
        acks = {}
        for i in range(24 if ctx.full else 6):
            acks["full-%d" % i] = run_bounded_writer(ctx, r, "full #%d" % i, spool, "full-%d" % i, spans=200,
                                                     payload=8192)
        r.iterate("disk-full writers", len(acks))
        if all(acks.values()):
            r.fail("full: no writer reported loss: the disk never filled")
        drops = check_acks(r, "full", spool, acks)
        r.notes.append("full: %d of %d writers acknowledged, the rest reported loss; %d drops recorded in the spool"
                       % (sum(1 for a in acks.values() if a), len(acks), drops))
    finally:
        ctx.unmount(mnt)


def disk_read_only(ctx, r):
    spool = ctx.dir("s5", "ro", "spool")
    acks = {"ro-before": run_bounded_writer(ctx, r, "read-only (before)", spool, "ro-before")}
    if ctx.is_root:
        ctx.mount(["mount", "--bind", spool, spool], spool)
        subprocess.run(["mount", "-o", "remount,ro,bind", spool], check=True)
        how = "read-only bind mount"
    else:
        os.chmod(spool, 0o555)
        how = "mode 0555"
    try:
        for i in range(6 if ctx.full else 3):
            ack = run_bounded_writer(ctx, r, "read-only #%d" % i, spool, "ro-%d" % i)
            if ack:
                r.fail("read-only: a writer acknowledged %d spans on a read-only spool" % ack)
        r.iterate("read-only writers", 6 if ctx.full else 3)
    finally:
        if ctx.is_root:
            ctx.unmount(spool)
        else:
            os.chmod(spool, 0o700)
    check_acks(r, "read-only", spool, acks)
    r.notes.append("read-only (%s): every writer exited within its bound and reported loss" % how)


def disk_removed(ctx, r):
    rounds = 8 if ctx.full else 3
    for i in range(rounds):
        spool = ctx.dir("s5", "removed-%d" % i, "spool")
        procs = [ctx.spawn(demo_argv(ctx, spool, "rm-%d-%d" % (i, w), 3000, 256, flush_timeout_ms=FLUSH_MS))
                 for w in range(3)]
        time.sleep(ctx.rng.uniform(0.01, 0.4))
        shutil.rmtree(os.path.dirname(spool), ignore_errors=True)
        for w, p in enumerate(procs):
            rc, out, err, seconds, hung = ctx.finish(p, timeout=FLUSH_MS / 1000 + 60)
            r.iterate("writer processes")
            if hung or seconds > FLUSH_MS / 1000 + START_SLACK + 20:
                r.fail("removed #%d.%d: writer took %.1f s" % (i, w, seconds))
            if signalled(rc):
                r.fail("removed #%d.%d: writer %s: %s" % (i, w, describe_exit(rc), tail(err)))
        r.iterate("spool directories removed under writers")


def fusepy_python():
    for python in ("/usr/bin/python3", "/usr/local/bin/python3", sys.executable):
        if os.access(python, os.X_OK) and subprocess.run(
                [python, "-c", "import importlib.util as u, sys; "
                               "sys.exit(0 if u.find_spec('fusepy') or u.find_spec('fuse') else 1)"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
            return python
    return None


def disk_eio(ctx, r):
    if not ctx.is_root or not os.path.exists("/dev/fuse"):
        raise SkipCase("needs root and /dev/fuse")
    python = fusepy_python()
    if python is None:
        raise SkipCase("needs fusepy (Debian python3-fusepy)")
    backing = ctx.dir("s5", "eio", "backing")
    mnt = ctx.dir("s5", "eio", "mnt")
    control = os.path.join(ctx.dir("s5", "eio"), "fail")
    fs = ctx.spawn([python, os.path.join(REPO, "Tools", "eio-fs.py"), backing, mnt, control])
    ctx.mounts.append(mnt)
    try:
        t0 = time.monotonic()
        while not os.path.ismount(mnt):
            if fs.poll() is not None or time.monotonic() - t0 > 20:
                raise SkipCase("eio-fs.py did not mount: %s" % tail(fs.stderr.read().decode(errors="replace")))
            time.sleep(0.05)
        spool = os.path.join(mnt, "spool")
        acks = {"eio-before": run_bounded_writer(ctx, r, "EIO (before)", spool, "eio-before")}
        open(control, "w").close()
        n = 6 if ctx.full else 3
        for i in range(n):
            ack = run_bounded_writer(ctx, r, "EIO #%d" % i, spool, "eio-%d" % i)
            if ack:
                r.fail("EIO: a writer acknowledged %d spans while fdatasync failed" % ack)
        r.iterate("EIO writers", n)
        os.unlink(control)
        acks["eio-after"] = run_bounded_writer(ctx, r, "EIO (after)", spool, "eio-after")
        if not acks["eio-after"]:
            r.fail("EIO: a writer after the fault cleared did not flush")
        drops = check_acks(r, "EIO", os.path.join(backing, "spool"), acks)
        r.notes.append("EIO: writers during the fault reported loss; %d drops recorded in the spool afterwards" % drops)
    finally:
        ctx.unmount(mnt)
        ctx.kill(fs, signal.SIGTERM)
        ctx.finish(fs, timeout=10)


# -- 6. permission attacks -------------------------------------------------------------------------------------------
def other_user(ctx):
    try:
        pw = pwd.getpwnam(OTHER_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", OTHER_USER], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        pw = pwd.getpwnam(OTHER_USER)
    return pw.pw_uid, pw.pw_gid


def as_other(ctx, uid, gid, argv):
    """Runs `argv` as the other user; (returncode, stderr)."""
    p = subprocess.run(["setpriv", "--reuid=%d" % uid, "--regid=%d" % gid, "--clear-groups", *argv],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ctx.child_env(), cwd="/")
    return p.returncode, p.stderr.decode(errors="replace")


def scenario_permissions(ctx, r):
    if not ctx.is_root or shutil.which("setpriv") is None:
        r.skip_environment("needs root and setpriv to act as a second user")
        return
    uid, gid = other_user(ctx)
    os.chmod(ctx.tmp, 0o711)
    base = ctx.dir("s6")
    os.chmod(base, 0o711)
    receiver = Receiver()
    try:
        planted_segment(ctx, r, uid, gid, receiver, base)
        foreign_store(ctx, r, uid, gid, base, symlink=False)
        foreign_store(ctx, r, uid, gid, base, symlink=True)
        own_store_mode(ctx, r, base)
    finally:
        receiver.stop()


def planted_segment(ctx, r, uid, gid, receiver, base):
    # The owner's spool exists with group/other write permission (made so by hand, say), and the attacker plants
    # a segment in it before the owner's writer starts (once it has run, the directory refuses the plant).
    spool = os.path.join(base, "spool")
    os.mkdir(spool)
    os.chmod(spool, 0o777)
    # The attacker's segment: a valid sealed segment with its own service name, copied in under a valid name.
    evil_src = ctx.dir("s6", "attacker")
    os.chmod(evil_src, 0o755)
    write_spans(ctx, evil_src, "planted")
    planted = spool_view.read_spool(evil_src)
    planted_keys = {k for s in planted for k in s.spans}
    for s in planted:
        os.chmod(s.path, 0o644)
    r.iterate("planted segments", len(planted))
    planted_ok = 0
    for s in planted:
        name = os.path.basename(s.path)
        stem, rand = name[:-4].rsplit("-", 1)
        target = os.path.join(spool, "%s-%0*x.seg" % (stem, len(rand), ctx.rng.getrandbits(4 * len(rand))))
        rc, err = as_other(ctx, uid, gid, ["cp", s.path, target])
        if rc == 0:
            planted_ok += 1
        else:
            r.notes.append("planting refused by the directory (%s)" % tail(err, 1))
    if not planted_ok:
        r.fail("planted: the other user could not write into the 0777 spool: the attack was not made")
    # Then the owner's writer runs. It may tighten such a directory or refuse it (then it reports the loss): both
    # keep the promise.
    rc, out, err, _, hung = ctx.run(demo_argv(ctx, spool, "owner", 40, 256), timeout=120)
    if signalled(rc) or hung or rc not in (0, 3):
        r.fail("planted: the owner's writer %s: %s" % (describe_exit(rc), tail(err)))
    elif rc == 3:
        r.notes.append("planted: the owner's writer refused the group/other-writable spool (%s)" % tail(err, 1))
    owner_ack = acknowledged(out)
    mode = os.stat(spool).st_mode & 0o777
    visible = sum(1 for seg in spool_view.read_spool(spool) if seg.service == "planted" and seg.spans)
    if planted_ok and not visible:
        r.fail("planted: the planted segment is not a readable segment of the spool: the attack was not made")
    rc, out, err, _, hung = ctx.run(upload_argv(ctx, [spool], receiver.url), timeout=120)
    if signalled(rc) or hung:
        r.fail("planted: uploader %s: %s" % (describe_exit(rc), tail(err)))
    delivered = receiver.delivered_keys()
    shipped = sum(1 for k in planted_keys if delivered.get(k, 0))
    owner = sum(1 for k, svc in receiver.service.items() if svc == "owner")
    r.add(acknowledged=owner_ack, read_back=owner_ack, delivered=owner)
    r.iterate("planted spans shipped", shipped)
    if shipped:
        r.fail("planted: %d spans of a segment another user planted in the spool were shipped" % shipped)
    left = sum(1 for name in os.listdir(spool) if os.stat(os.path.join(spool, name)).st_uid == uid)
    if left < planted_ok:
        r.fail("planted: the uploader deleted %d of the %d files another user planted" % (planted_ok - left, planted_ok))
    r.notes.append("planted: %d of %d plants landed (%d readable); spool mode after the writer %o; uploader %s; owner's spans "
                   "delivered %d of %d; planted spans shipped %d" % (planted_ok, len(planted), visible, mode,
                                                                    describe_exit(rc), owner, owner_ack, shipped))


def own_store_mode(ctx, r, base):
    """A store the uploader creates is readable by its owner only, with its -wal and -shm files."""
    spool = ctx.dir("s6", "own-store-spool")
    write_spans(ctx, spool, "own")
    directory = ctx.dir("s6", "own-store")
    os.chmod(directory, 0o755)
    store = os.path.join(directory, "tracespool.sqlite")
    rc, _, err, _, hung = ctx.run(upload_argv(ctx, [spool], store), timeout=120)
    r.iterate("stores created")
    if rc != 0 or hung:
        r.fail("own store: uploader %s: %s" % (describe_exit(rc), tail(err)))
        return
    for path in (store, store + "-wal", store + "-shm"):
        if os.path.exists(path):
            mode = os.stat(path).st_mode & 0o777
            if mode & 0o077:
                r.fail("own store: %s is mode %o: other users can read the spans" % (os.path.basename(path), mode))


def foreign_store(ctx, r, uid, gid, base, symlink):
    label = "symlinked store" if symlink else "pre-created store"
    shared = os.path.join(base, "shared-%s" % ("link" if symlink else "file"))
    os.mkdir(shared)
    os.chmod(shared, 0o777)  # a shared directory without the sticky bit: only the uploader's own checks protect
    spool = ctx.dir("s6", "store-spool-%s" % ("link" if symlink else "file"))
    ack = write_spans(ctx, spool, "secret")
    store = os.path.join(shared, "tracespool.sqlite")
    attacker_file = os.path.join(shared, "attacker.sqlite") if symlink else store
    script = "import sqlite3, os; os.umask(0); db = sqlite3.connect(%r); db.execute('create table t(x)'); " \
             "db.commit()" % attacker_file
    python = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else sys.executable
    rc, err = as_other(ctx, uid, gid, [python, "-c", script])
    if rc == 0 and symlink:
        rc, err = as_other(ctx, uid, gid, ["ln", "-s", attacker_file, store])
    if rc != 0:
        r.fail("%s: the other user could not prepare the attack: %s" % (label, tail(err)))
        return
    r.iterate("foreign stores")
    argv = upload_argv(ctx, [spool], store)
    rc, out, err, _, hung = ctx.run(argv, timeout=120)
    if signalled(rc) or hung:
        r.fail("%s: uploader %s: %s" % (label, describe_exit(rc), tail(err)))
    stolen = store_rows(attacker_file)
    r.iterate("stores refused" if rc not in (0, None) else "stores accepted")
    r.iterate("spans written into another user's file", len(stolen))
    if rc == 0:
        r.fail("%s: the uploader accepted a store another user owns (exit 0)" % label)
    if stolen:
        r.fail("%s: %d spans written into a file another user owns" % (label, len(stolen)))
    owner = os.stat(attacker_file).st_uid
    r.notes.append("%s (owned by uid %d): uploader %s (%s); rows in the attacker's file: %d" % (
        label, owner, describe_exit(rc), tail(err, 1), len(stolen)))


# -- driver ----------------------------------------------------------------------------------------------------------
SCENARIOS = [
    ("writer-kill", "1. Writer SIGKILL", scenario_writer_kill,
     "Every span a writer acknowledged as flushed is read back by the independent reader and by tracespool-dump, "
     "and is then delivered by the uploader exactly once."),
    ("uploader-kill", "2. Uploader SIGKILL", scenario_uploader_kill,
     "Killing uploaders (two at once on one spool, OTLP/HTTP and SQLite sinks) loses nothing; duplicates stay "
     "within the at-least-once bound."),
    ("damage", "3. Damaged segments", scenario_damage,
     "Every intact frame of a truncated, zeroed or bit-flipped segment is recovered and delivered; nothing corrupt "
     "is accepted; no tool exits by a signal."),
    ("backend-faults", "4. Backend faults", scenario_backend_faults,
     "After 429 (Retry-After), 503, resets, hangs, refusals and an outage, everything is delivered once the "
     "backend is back, once; Retry-After is honoured."),
    ("disk-faults", "5. Disk faults", scenario_disk_faults,
     "On a full, read-only, removed or failing (EIO) spool the writer never crashes nor blocks past its flush "
     "bound, reports the loss, and what it acknowledged is intact."),
    ("permissions", "6. Permission attacks", scenario_permissions,
     "A segment another user plants in the spool is not shipped; a SQLite store another user pre-created or "
     "symlinked is refused; the store the uploader creates is readable by its owner only."),
]


# How a --seconds budget is shared: what each scenario needs at the reduced size, relative to the others.
WEIGHTS = {"writer-kill": 4, "uploader-kill": 5, "damage": 4, "backend-faults": 4, "disk-faults": 4,
           "permissions": 1}


def machine_text(ctx):
    def cmd(argv):
        try:
            return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=REPO,
                                  timeout=60).stdout.decode().strip()
        except Exception:
            return "unknown"

    commit = cmd(["git", "rev-parse", "--short=12", "HEAD"])
    if cmd(["git", "status", "--porcelain", "--untracked-files=no"]):
        commit += " (with uncommitted changes)"
    swift = cmd(["swift", "--version"]).splitlines()
    swift = next((line for line in swift if "Swift version" in line), "unknown")
    return {"commit": commit, "nproc": os.cpu_count(), "kernel": platform.release(), "swift": swift,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "size": ctx.args.size,
            "seed": ctx.args.seed, "bin": ctx.args.bin}


def markdown(results, machine):
    lines = [
        "| scenario | iterations | acknowledged | read back | delivered | duplicated | lost | result |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for res in results:
        c = res.counts
        status = res.status
        if res.skipped:
            status += " (skipped: %s)" % "; ".join(res.skipped)
        lines.append("| %s | %s | %d | %d | %d | %d | %d | %s |" % (
            res.title, res.iteration_text(), c["acknowledged"], c["read back"], c["delivered"], c["duplicated"],
            c["lost"], status))
    lines.append("")
    executables = os.path.relpath(os.path.realpath(machine["bin"]), os.path.realpath(REPO))
    lines.append("Run: `%s` size, seed %s, commit %s, executables `%s`, %s; %s CPUs, Linux %s, %s." % (
        machine["size"], machine["seed"], machine["commit"], executables, machine["date"], machine["nproc"],
        machine["kernel"], machine["swift"]))
    return "\n".join(lines) + "\n"


TABLE_BEGIN = "<!-- torture-table begin: written by Tools/torture/run --update-reliability -->"
TABLE_END = "<!-- torture-table end -->"


def update_reliability(table):
    path = os.path.join(REPO, "RELIABILITY.md")
    with open(path) as f:
        text = f.read()
    start, end = text.find(TABLE_BEGIN), text.find(TABLE_END)
    if start < 0 or end < start:
        print("RELIABILITY.md has no torture-table markers: not updated", file=sys.stderr)
        return
    text = text[:start + len(TABLE_BEGIN)] + "\n" + table + text[end:]
    with open(path, "w") as f:
        f.write(text)
    print("updated the table of %s" % path)


def report(res):
    print("\n== %s (%s) — %s in %.0f s" % (res.title, res.name, res.status, res.seconds))
    print("promise: %s" % res.promise)
    if res.bound:
        print("bound: %s" % res.bound)
    print("iterations: %s" % res.iteration_text())
    print("counts: " + " · ".join("%s %d" % kv for kv in res.counts.items()))
    for note in res.notes:
        print("  note: %s" % note)
    for skip in res.skipped:
        print("  skipped: %s" % skip)
    for failure in res.failures:
        print("  BROKEN: %s" % failure)
    sys.stdout.flush()


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.path.join(REPO, ".build", "debug"),
                        help="directory of the built executables (default: .build/debug)")
    parser.add_argument("--size", choices=["full", "reduced"], default="reduced",
                        help="full: the published iteration counts; reduced: the CI run (default)")
    parser.add_argument("--only", default="", help="comma-separated scenario names: " +
                        ", ".join(s[0] for s in SCENARIOS))
    parser.add_argument("--runs", type=int, default=0,
                        help="override the iteration target of each scenario (runs, kills or segments)")
    parser.add_argument("--seconds", type=float, default=0,
                        help="time budget of the whole run; scenarios share what is left (default: none)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock; printed)")
    parser.add_argument("--markdown", help="also write the Markdown table to this file")
    parser.add_argument("--json", help="also write every result as JSON to this file")
    parser.add_argument("--update-reliability", action="store_true",
                        help="also replace the table of RELIABILITY.md (between its torture-table markers)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    if args.seed is None:
        args.seed = int(time.time()) % 1_000_000
    if args.runs < 0 or args.seconds < 0:
        parser.error("--runs and --seconds must not be negative")
    selected = [s for s in SCENARIOS if not args.only or s[0] in args.only.split(",")]
    unknown = set(filter(None, args.only.split(","))) - {s[0] for s in SCENARIOS}
    if unknown:
        parser.error("unknown scenario %s" % ", ".join(sorted(unknown)))
    for name in ("tracespool-demo", "tracespool-upload", "tracespool-dump"):
        if not os.access(os.path.join(args.bin, name), os.X_OK):
            parser.error("%s not found in %s: run `swift build` first or pass --bin" % (name, args.bin))

    ctx = Context(args)
    total = Deadline(args.seconds) if args.seconds else None

    def cap(full_seconds, reduced_seconds):
        """A scenario's time cap: its own, within its share of what is left of --seconds."""
        own = full_seconds if ctx.full else reduced_seconds
        return min(own, ctx.share) if total else own

    ctx.cap = cap
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    machine = machine_text(ctx)  # before the run: the commit under test
    print("tracespool torture: size %s, seed %d, bin %s, tmp %s, commit %s" % (
        args.size, args.seed, args.bin, ctx.tmp, machine["commit"]))
    results = []
    code = 0
    try:
        for index, (name, title, function, promise) in enumerate(selected):
            if total:
                weights = [WEIGHTS[s[0]] for s in selected[index:]]
                ctx.share = total.left() * WEIGHTS[name] / sum(weights)
            res = Result(name, title, promise)
            results.append(res)
            t0 = time.monotonic()
            try:
                if total and total.left() < 5:
                    res.skipped.append("the --seconds budget was spent")
                else:
                    function(ctx, res)
            except Interrupted:
                res.interrupted = True
                res.seconds = time.monotonic() - t0
                raise
            except Exception as error:  # a harness error is reported as a failure, never hidden
                res.fail("harness error: %s: %s" % (type(error).__name__, error))
            res.seconds = time.monotonic() - t0
            report(res)
    except Interrupted as why:
        print("\ninterrupted (%s): cleaning up" % why, file=sys.stderr)
        code = 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        ctx.cleanup()
    table = markdown(results, machine)
    print("\n" + table)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table)
    if args.update_reliability:
        update_reliability(table)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": machine, "results": [res.as_dict() for res in results]}, f, indent=2)
    if code:
        return code
    broken = [res for res in results if res.failures]
    skipped = [res for res in results if res.status == "SKIPPED"]
    print("%s: %d scenarios run, %d broke a promise, %d skipped" % (
        "FAILED" if broken else "OK", len(results) - len(skipped), len(broken), len(skipped)))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

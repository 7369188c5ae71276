import Testing
import Tracing

@testable import TraceSpool

extension TracerTests {
    /// `AttributeHandOver`, who holds a span's attribute dictionary, driven event by event on one thread (its events
    /// are atomic operations that never wait, so one thread reaches every state), and `SpanStorage` carrying out
    /// its actions in the interleavings that matter.
    @Suite("Attribute hand-over state machine")
    struct AttributeHandOverTests {
        // `#expect` takes copies of what it checks, and the state machine is not copyable: each event's action is
        // taken into a local first.

        @Test("a span that never used its dictionary ends without it")
        func unusedEndsWithout() {
            let h = AttributeHandOver(typedPending: false)
            let end = h.acquireToEnd()
            #expect(end == .encodeWithoutDictionary)
            let owned = h.isOwned
            #expect(!owned)
            // Reading does not count as using.
            let read = h.acquireToRead()
            #expect(read)
            h.release()
            let endAfterRead = h.acquireToEnd()
            #expect(endAfterRead == .encodeWithoutDictionary)
        }

        @Test("a lent dictionary is owned until released; meanwhile others get a temporary, and end goes without it")
        func lentDictionary() {
            let h = AttributeHandOver(typedPending: false)
            let lend = h.lend()
            #expect(lend == .lendOwned(mergeTyped: false))
            let owned = h.isOwned
            #expect(owned)
            let second = h.lend()
            #expect(second == .lendTemporary)
            let replace = h.acquireToReplace()
            #expect(!replace)
            let read = h.acquireToRead()
            #expect(!read)
            let endWhileLent = h.acquireToEnd()
            #expect(endWhileLent == .encodeWithoutLentDictionary)
            h.release()
            let ownedAfterRelease = h.isOwned
            #expect(!ownedAfterRelease)
            let end = h.acquireToEnd()
            #expect(end == .encodeWithDictionary)
            let ownedByEnd = h.isOwned
            #expect(ownedByEnd)
            h.release()
        }

        @Test("typed attributes set since the last lend are merged into the dictionary at the next lend, once")
        func typedMergedAtLend() {
            let h = AttributeHandOver(typedPending: true)  // created with attributes
            let first = h.lend()
            #expect(first == .lendOwned(mergeTyped: true))
            h.typedMerged()
            h.release()
            let second = h.lend()
            #expect(second == .lendOwned(mergeTyped: false))
            h.release()
            h.typedSet()
            let third = h.lend()
            #expect(third == .lendOwned(mergeTyped: true))
            h.release()
        }

        @Test("replacing the dictionary marks it used")
        func replaceMarksUsed() {
            let h = AttributeHandOver(typedPending: false)
            let replace = h.acquireToReplace()
            #expect(replace)
            h.typedMerged()
            h.release()
            let end = h.acquireToEnd()
            #expect(end == .encodeWithDictionary)
            h.release()
        }

        @Test(
            "a span carries out the actions: a temporary's entries reach the typed list; a lent dictionary is not lost")
        func storageCarriesOutActions() throws {
            let h = EncoderHarness()
            let span = h.span("lent", attributes: [.string("typed", "first")])
            var first = span.lendDictionary()
            #expect(first.owned)
            #expect(first.attributes.get("typed") == .string("first"))  // the typed list moved into it
            first.attributes["a"] = "owned"
            var second = span.lendDictionary()  // another thread's access while the first is out
            #expect(!second.owned)
            second.attributes["b"] = "temporary"
            span.returnDictionary(&second)
            #expect(span.state.withLock { $0.attributes.map(\.key) } == ["b"])
            // Ended while the dictionary is lent: encoded without it.
            span.end(atNanos: EncoderHarness.endNanos)
            span.returnDictionary(&first)
            let owned = span.handOver.isOwned
            #expect(!owned)
            #expect(span.dictionary?.get("a") == .string("owned"))
            // Given back before the end: encoded with it, and with the typed attribute set after it.
            let other = h.span("returned")
            var lent = other.lendDictionary()
            lent.attributes["a"] = "owned"
            other.returnDictionary(&lent)
            other.set(.int("c", 1))
            other.end(atNanos: EncoderHarness.endNanos)
            // A typed attribute set after a dictionary access is newer: the next access sees it, and removing it
            // there removes it.
            let removed = h.span("removed")
            var before = removed.lendDictionary()
            before.attributes["k"] = "dictionary"
            removed.returnDictionary(&before)
            removed.set(.string("k", "typed"))
            var after = removed.lendDictionary()
            #expect(after.attributes.get("k") == .string("typed"))
            after.attributes["k"] = nil
            removed.returnDictionary(&after)
            removed.end(atNanos: EncoderHarness.endNanos)
            let spans = try h.takeRecordedSpans()
            #expect(spans.map(\.name) == ["lent", "returned", "removed"])
            #expect(spans.first?.attributes.map(\.key) == ["b"])
            #expect(Set(spans.dropFirst().first?.attributes.map(\.key) ?? []) == ["a", "c"])
            #expect(spans.last?.attributes.isEmpty == true)
        }
    }
}

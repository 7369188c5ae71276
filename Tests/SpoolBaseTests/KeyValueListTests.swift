import SpoolBase
import Testing

@Suite struct KeyValueListTests {
    func pairs(_ text: String) throws(KeyValueListError) -> [String] {
        try KeyValueList.parse(text).map { "\($0.position):\($0.key)=\($0.value)" }
    }

    func failure(_ text: String) -> KeyValueListError? {
        do throws(KeyValueListError) {
            _ = try KeyValueList.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func keysAndValuesArePercentDecodedAsUTF8() throws {
        #expect(
            try pairs("k%3D=v%2C1,euro=%e2%82%AC,plus=a+b,pct=100%25") == [
                "1:k==v,1", "2:euro=€", "3:plus=a+b", "4:pct=100%",
            ])
        #expect(try pairs("team=a%20b") == ["1:team=a b"])
    }

    @Test func spacesAndTabsAroundEntriesKeysAndValuesAreTrimmed() throws {
        #expect(try pairs(" k = v ,\tx\t=\ty z\t, a b=c") == ["1:k=v", "2:x=y z", "3:a b=c"])
        #expect(try pairs("k=%20v%20") == ["1:k= v "], "encoded spaces are kept")
    }

    @Test func blankEntriesAreSkippedButCounted() throws {
        #expect(try pairs("") == [])
        #expect(try pairs(" , ,\t") == [])
        #expect(try pairs(",a=1,, b=2 ,") == ["2:a=1", "4:b=2"])
    }

    @Test func theFirstEqualsSignSplits() throws {
        #expect(try pairs("k=a=b,e=") == ["1:k=a=b", "2:e="])
        #expect(try KeyValueList.parse("x=1,x=2").map(\.value) == ["1", "2"], "duplicates are all kept")
    }

    @Test func everyErrorNamesThePositionNeverTheText() {
        let cases: [(String, KeyValueListError)] = [
            ("a=1,secret", KeyValueListError(position: 2, problem: .missingEquals)),
            ("a=1,,secret", KeyValueListError(position: 3, problem: .missingEquals)),
            ("=secret", KeyValueListError(position: 1, problem: .emptyKey)),
            (" \t=secret", KeyValueListError(position: 1, problem: .emptyKey)),
            ("k=secret%", KeyValueListError(position: 1, problem: .invalidPercentEncoding)),
            ("k=secret%4", KeyValueListError(position: 1, problem: .invalidPercentEncoding)),
            ("k=secret%zz", KeyValueListError(position: 1, problem: .invalidPercentEncoding)),
            ("a=1,secret%g0=1", KeyValueListError(position: 2, problem: .invalidPercentEncoding)),
            ("k=secret%ff", KeyValueListError(position: 1, problem: .invalidUTF8)),
            ("k=secret%c3", KeyValueListError(position: 1, problem: .invalidUTF8)),
            ("secret%c3%28=v", KeyValueListError(position: 1, problem: .invalidUTF8)),
        ]
        for (text, expected) in cases {
            let error = failure(text)
            #expect(error == expected, "\(text)")
            #expect(error.map { !$0.description.contains("secret") } == true)
            #expect(error?.description.hasPrefix("entry \(expected.position) ") == true)
        }
    }
}

/// Parses the three HTTP-date forms of RFC 9110: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Seconds since the Unix epoch, or nil when `text` is not an HTTP-date.
    static func parse(_ text: String) -> Int? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map { $0.lowercased() }
        var day: Int?
        var month: Int?
        var year: Int?
        var clock: Substring?
        if words.count == 6, words[5] == "gmt" {
            day = Int(words[1]); month = months.firstIndex(of: words[2]).map { $0 + 1 }; year = Int(words[3])
            clock = Substring(words[4])
        } else if words.count == 4, words[3] == "gmt" {
            let parts = words[1].split(separator: "-")
            guard parts.count == 3 else { return nil }
            day = Int(parts[0]); month = months.firstIndex(of: String(parts[1])).map { $0 + 1 }
            year = Int(parts[2]).map { $0 < 70 ? 2000 + $0 : ($0 < 100 ? 1900 + $0 : $0) }
            clock = Substring(words[2])
        } else if words.count == 5 {
            month = months.firstIndex(of: words[1]).map { $0 + 1 }; day = Int(words[2]); year = Int(words[4])
            clock = Substring(words[3])
        }
        guard let day, let month, let year, let clock, (1...31).contains(day) else { return nil }
        let hms = clock.split(separator: ":").compactMap { Int($0) }
        guard hms.count == 3, (0...23).contains(hms[0]), (0...59).contains(hms[1]), (0...60).contains(hms[2]) else {
            return nil
        }
        return daysFromCivil(year: year, month: month, day: day) * 86_400 + hms[0] * 3600 + hms[1] * 60 + hms[2]
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

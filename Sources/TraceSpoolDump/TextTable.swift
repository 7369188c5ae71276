/// A plain-text table with aligned columns, two spaces apart; numeric columns are right-aligned.
struct TextTable {
    var headers: [String]
    var rightAligned: Set<Int>
    var rows: [[String]] = []

    init(headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    func rendered() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        var out = ""
        for row in [headers] + rows {
            var cells: [String] = []
            for (i, cell) in row.enumerated() where i < widths.count {
                let last = i == widths.count - 1
                if rightAligned.contains(i) {
                    cells.append(SizeFormat.padLeft(cell, widths[i]))
                } else {
                    cells.append(last ? cell : SizeFormat.padRight(cell, widths[i]))
                }
            }
            out += cells.joined(separator: "  ") + "\n"
        }
        return out
    }
}

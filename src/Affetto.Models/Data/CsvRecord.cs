namespace Affetto.Models.Data;

/// <summary>One CSV record (row) with the physical line it starts on.</summary>
/// <param name="LineNumber">1-based physical line of the record's first character (a quoted field may span lines).</param>
/// <param name="Fields">The unquoted field values.</param>
public sealed record CsvRecord(int LineNumber, IReadOnlyList<string> Fields);

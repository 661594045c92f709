namespace Affetto.Models.Data;

/// <summary>
/// Thrown when a CSV file is malformed or does not contain what a dataset loader needs.
/// The message names the source (file path) and, when known, the 1-based line number.
/// </summary>
public sealed class CsvFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="sourceName">File path or another name of the CSV source.</param>
    /// <param name="lineNumber">1-based physical line where the problem starts, or 0 when not tied to a line.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="inner">Optional underlying exception.</param>
    public CsvFormatException(string sourceName, int lineNumber, string problem, Exception? inner = null)
        : base(lineNumber > 0 ? $"{sourceName}, line {lineNumber}: {problem}" : $"{sourceName}: {problem}", inner)
    {
        SourceName = sourceName;
        LineNumber = lineNumber;
    }

    /// <summary>File path or another name of the CSV source.</summary>
    public string SourceName { get; }

    /// <summary>1-based physical line where the problem starts, or 0 when not tied to a line.</summary>
    public int LineNumber { get; }
}

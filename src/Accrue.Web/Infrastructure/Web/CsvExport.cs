using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsvHelper;

namespace Accrue.Web.Infrastructure.Web;

/// <summary>
/// Every CSV the app hands out is written here (RFC 4180, UTF-8 without BOM, CRLF). A cell that a
/// spreadsheet would run as a formula — it starts with <c>= + - @</c>, a tab or a carriage return —
/// gets a leading apostrophe so it shows as text (OWASP "CSV injection"); a plain number such as
/// <c>-5.00</c> stays a number.
/// </summary>
public static partial class CsvExport
{
    public static byte[] Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var options = new CsvWriterOptions { FormatProvider = CultureInfo.InvariantCulture };
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true))
        using (var csv = CsvWriter.Create(writer, options, true))
        {
            csv.WriteHeader([.. header.Select(Neutralise)]);
            foreach (var row in rows) csv.WriteRecord([.. row.Select(Neutralise)]);
        }
        return stream.ToArray();
    }

    public static string Neutralise(string cell) =>
        cell.Length > 0 && "=+-@\t\r".Contains(cell[0]) && !PlainNumber().IsMatch(cell) ? "'" + cell : cell;

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumber();
}

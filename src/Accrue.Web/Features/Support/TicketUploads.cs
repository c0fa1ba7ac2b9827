using Accrue.Domain.Support;

namespace Accrue.Web.Features.Support;

/// <summary>
/// What the ticket forms accept on the wire. The request may be larger than the attachment rules
/// allow (one file over 5 MB, or six files) so that <see cref="AttachmentPolicy"/> answers with its
/// own clear message instead of the server cutting the upload off with a bare 413.
/// </summary>
public static class TicketUploads
{
    /// <summary>Room for one file more than allowed, each a megabyte over the limit, plus the text fields.</summary>
    public const long MaxRequestBody = (AttachmentPolicy.MaxFiles + 1) * (AttachmentPolicy.MaxBytes + 1024 * 1024) + 1024 * 1024;

    /// <summary>The same in JSON: base64 takes four bytes for every three.</summary>
    public const long MaxApiRequestBody = MaxRequestBody / 3 * 4 + 1024 * 1024;

    public static string Limits =>
        $"Up to {AttachmentPolicy.MaxFiles} files, {AttachmentPolicy.MaxBytes / (1024 * 1024)} MB each: {AttachmentPolicy.Accepted}.";

    /// <summary>The posted files as uploads; empty file inputs (no file chosen) are skipped.</summary>
    public static async Task<IReadOnlyList<Upload>> ReadAsync(IEnumerable<IFormFile>? files, CancellationToken ct)
    {
        var uploads = new List<Upload>();
        foreach (var file in files ?? [])
        {
            if (file.Length == 0 && string.IsNullOrEmpty(file.FileName)) continue;
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            uploads.Add(new Upload(file.FileName, buffer.ToArray()));
        }
        return uploads;
    }
}

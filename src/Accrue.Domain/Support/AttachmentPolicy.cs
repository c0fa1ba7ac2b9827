using System.Text;
using Accrue.Domain.Common;

namespace Accrue.Domain.Support;

/// <summary>An uploaded file as received: its name as the browser sent it and its bytes.</summary>
public sealed record Upload(string FileName, byte[] Content);

/// <summary>
/// Which files a ticket takes: images, PDF and plain text, recognised by their content (magic
/// numbers, valid UTF-8 text), never by the type the uploader claimed. Executables and anything
/// unrecognised are refused with a reason.
/// </summary>
public static class AttachmentPolicy
{
    public const int MaxFiles = 5;
    public const long MaxBytes = 5 * 1024 * 1024;
    public const string Accepted = "PNG, JPEG, GIF or WebP images, PDF, and text files (.txt, .log, .csv)";

    private static readonly string[] TextExtensions = [".txt", ".log", ".csv"];
    private static readonly string[] ExecutableExtensions =
        [".exe", ".dll", ".com", ".bat", ".cmd", ".msi", ".scr", ".ps1", ".vbs", ".js", ".jar", ".sh", ".apk", ".app", ".bin", ".elf"];

    /// <summary>The files made into attachments, or the first problem found (field <c>Attachments</c>).</summary>
    public static Result<IReadOnlyList<TicketAttachment>> Check(IReadOnlyList<Upload> uploads)
    {
        if (uploads.Count > MaxFiles) return Invalid($"Attach at most {MaxFiles} files.");
        var attachments = new List<TicketAttachment>(uploads.Count);
        foreach (var upload in uploads)
        {
            var name = CleanName(upload.FileName);
            if (upload.Content.Length == 0) return Invalid($"“{name}” is empty.");
            if (upload.Content.Length > MaxBytes) return Invalid($"“{name}” is larger than {MaxBytes / (1024 * 1024)} MB.");
            var extension = Path.GetExtension(name).ToLowerInvariant();
            if (IsExecutable(upload.Content) || ExecutableExtensions.Contains(extension))
                return Invalid($"“{name}” is a program or script; attach {Accepted}.");
            if (Sniff(upload.Content, extension) is not { } contentType)
                return Invalid($"“{name}” is not a file type we accept; attach {Accepted}.");
            attachments.Add(new TicketAttachment { FileName = Named(name, contentType), ContentType = contentType, Size = upload.Content.Length, Content = upload.Content });
        }
        return attachments;
    }

    /// <summary>
    /// The name the file is stored and served under: its extension always matches the detected type,
    /// so <c>x.png.html</c> holding PNG bytes becomes <c>x.png</c> and <c>scan</c> a PDF <c>scan.pdf</c>.
    /// </summary>
    public static string Named(string name, string contentType)
    {
        string[] extensions = contentType switch
        {
            "image/png" => [".png"],
            "image/jpeg" => [".jpg", ".jpeg"],
            "image/gif" => [".gif"],
            "image/webp" => [".webp"],
            "application/pdf" => [".pdf"],
            _ => TextExtensions,
        };
        if (extensions.Contains(Path.GetExtension(name).ToLowerInvariant())) return name;
        var stem = Path.GetFileNameWithoutExtension(name);
        if (stem.Length == 0) stem = "attachment";
        return extensions.Contains(Path.GetExtension(stem).ToLowerInvariant()) ? stem : stem + extensions[0];
    }

    private static Failure Invalid(string message) => Failure.Invalid("Attachments", message);

    /// <summary>The file's name without any path, control characters or quotes, at most 200 characters.</summary>
    public static string CleanName(string? fileName)
    {
        var name = Path.GetFileName((fileName ?? "").Replace('\\', '/'));
        name = new string(name.Where(c => !char.IsControl(c) && c is not ('"' or '<' or '>')).ToArray()).Trim();
        if (name.Length == 0) name = "attachment";
        return name.Length <= 200 ? name : name[^200..];
    }

    private static bool IsExecutable(byte[] c) =>
        StartsWith(c, "MZ"u8) // Windows PE
        || StartsWith(c, [0x7F, (byte)'E', (byte)'L', (byte)'F'])
        || StartsWith(c, [0xCF, 0xFA, 0xED, 0xFE]) || StartsWith(c, [0xCE, 0xFA, 0xED, 0xFE]) || StartsWith(c, [0xCA, 0xFE, 0xBA, 0xBE]) // Mach-O
        || StartsWith(c, "#!"u8); // scripts

    private static string? Sniff(byte[] c, string extension)
    {
        if (StartsWith(c, [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return "image/png";
        if (StartsWith(c, [0xFF, 0xD8, 0xFF])) return "image/jpeg";
        if (StartsWith(c, "GIF87a"u8) || StartsWith(c, "GIF89a"u8)) return "image/gif";
        if (c.Length >= 12 && StartsWith(c, "RIFF"u8) && c.AsSpan(8, 4).SequenceEqual("WEBP"u8)) return "image/webp";
        if (StartsWith(c, "%PDF-"u8)) return "application/pdf";
        if (TextExtensions.Contains(extension) && IsText(c)) return extension == ".csv" ? "text/csv" : "text/plain";
        return null;
    }

    private static bool IsText(byte[] content)
    {
        if (content.Contains((byte)0)) return false;
        try
        {
            new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool StartsWith(byte[] content, ReadOnlySpan<byte> prefix) => content.AsSpan().StartsWith(prefix);
}

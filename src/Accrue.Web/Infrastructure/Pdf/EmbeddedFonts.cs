using SkiaSharp;

namespace Accrue.Web.Infrastructure.Pdf;

/// <summary>
/// The DejaVu fonts shipped inside this assembly. Every PDF draws with them rather than Skia's default
/// typeface: the servers we run on may have no system fonts at all, and then the default typeface has
/// no glyphs and the PDF carries no readable text.
/// </summary>
public static class EmbeddedFonts
{
    public const string Regular = "DejaVuSans.ttf";
    public const string Bold = "DejaVuSans-Bold.ttf";

    public static byte[] Read(string file)
    {
        using var stream = typeof(EmbeddedFonts).Assembly.GetManifestResourceStream($"Accrue.Web.Fonts.{file}")
            ?? throw new InvalidOperationException($"Font {file} is not embedded in {typeof(EmbeddedFonts).Assembly.GetName().Name}.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    public static SKTypeface Typeface(byte[] font)
    {
        using var data = SKData.CreateCopy(font);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException("The font could not be loaded.");
    }
}

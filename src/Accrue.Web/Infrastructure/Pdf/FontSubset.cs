using System.Buffers.Binary;

namespace Accrue.Web.Infrastructure.Pdf;

/// <summary>
/// Cuts a TrueType font down to the glyphs one document draws. Skia's PDF backend subsets fonts only
/// when its native library is built with the HarfBuzz subsetter, and the SkiaSharp native assets we
/// ship are not (no <c>hb_subset</c> in libSkiaSharp): it embeds the font file whole, about 750 KB for
/// DejaVu Sans and Sans Bold. So we hand Skia a font that already holds only what the page needs.
/// </summary>
/// <remarks>
/// Glyph ids stay as they are: the glyphs not drawn become empty (zero-length in <c>loca</c>, zero in
/// <c>hmtx</c>), which compresses to almost nothing, and the character map and the metrics of the
/// glyphs drawn are untouched, so text measures and extracts exactly as with the full font. The
/// layout tables (GSUB, GPOS, kern…) are dropped because Skia draws glyph by glyph without shaping,
/// and <c>post</c> loses its glyph names (version 3).
/// </remarks>
public static class FontSubset
{
    private static readonly HashSet<string> Kept =
        ["OS/2", "cmap", "cvt ", "fpgm", "gasp", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post", "prep"];

    public static byte[] Keep(byte[] font, IEnumerable<ushort> glyphs)
    {
        var tables = ReadTables(font);
        var head = tables["head"].ToArray();
        var numGlyphs = BinaryPrimitives.ReadUInt16BigEndian(tables["maxp"].Span[4..]);
        var longLoca = BinaryPrimitives.ReadInt16BigEndian(head.AsSpan(50)) == 1;
        var loca = tables["loca"];
        var glyf = tables["glyf"];
        int Offset(int glyph) => longLoca
            ? (int)BinaryPrimitives.ReadUInt32BigEndian(loca.Span[(glyph * 4)..])
            : BinaryPrimitives.ReadUInt16BigEndian(loca.Span[(glyph * 2)..]) * 2;
        ReadOnlyMemory<byte> Glyph(int glyph) => glyf[Offset(glyph)..Offset(glyph + 1)];

        // .notdef always stays; a composite glyph (é = e + ´) needs its components too.
        var keep = new HashSet<int> { 0 };
        var pending = new Stack<int>(glyphs.Select(g => (int)g).Where(g => g > 0 && g < numGlyphs));
        while (pending.TryPop(out var glyph))
        {
            if (!keep.Add(glyph)) continue;
            foreach (var component in Components(Glyph(glyph).Span)) if (component < numGlyphs && !keep.Contains(component)) pending.Push(component);
        }

        var newGlyf = new MemoryStream();
        var newLoca = new byte[(numGlyphs + 1) * 4];
        for (var glyph = 0; glyph < numGlyphs; glyph++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(newLoca.AsSpan(glyph * 4), (uint)newGlyf.Length);
            if (!keep.Contains(glyph)) continue;
            newGlyf.Write(Glyph(glyph).Span);
            while (newGlyf.Length % 4 != 0) newGlyf.WriteByte(0);
        }
        BinaryPrimitives.WriteUInt32BigEndian(newLoca.AsSpan(numGlyphs * 4), (uint)newGlyf.Length);
        BinaryPrimitives.WriteInt16BigEndian(head.AsSpan(50), 1);
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(8), 0);

        var numberOfHMetrics = BinaryPrimitives.ReadUInt16BigEndian(tables["hhea"].Span[34..]);
        var hmtx = tables["hmtx"].ToArray();
        for (var glyph = 0; glyph < numGlyphs; glyph++)
        {
            if (keep.Contains(glyph)) continue;
            var at = glyph < numberOfHMetrics ? glyph * 4 : numberOfHMetrics * 4 + (glyph - numberOfHMetrics) * 2;
            var length = glyph < numberOfHMetrics ? 4 : 2;
            if (at + length <= hmtx.Length) hmtx.AsSpan(at, length).Clear();
        }

        var post = tables["post"][..32].ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(post, 0x00030000);

        var output = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (tag, data) in tables) if (Kept.Contains(tag)) output[tag] = data.ToArray();
        (output["head"], output["glyf"], output["loca"], output["hmtx"], output["post"]) = (head, newGlyf.ToArray(), newLoca, hmtx, post);
        return Write(output);
    }

    private static Dictionary<string, ReadOnlyMemory<byte>> ReadTables(byte[] font)
    {
        var count = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(4));
        var tables = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var record = font.AsSpan(12 + i * 16, 16);
            var tag = System.Text.Encoding.ASCII.GetString(record[..4]);
            var offset = (int)BinaryPrimitives.ReadUInt32BigEndian(record[8..]);
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(record[12..]);
            tables[tag] = font.AsMemory(offset, length);
        }
        return tables;
    }

    /// <summary>The glyphs a composite glyph is built from (none for a simple or empty glyph).</summary>
    private static List<int> Components(ReadOnlySpan<byte> glyph)
    {
        var components = new List<int>();
        if (glyph.Length < 10 || BinaryPrimitives.ReadInt16BigEndian(glyph) >= 0) return components;
        const int ArgsAreWords = 0x1, HasScale = 0x8, MoreComponents = 0x20, HasXYScale = 0x40, HasTwoByTwo = 0x80;
        var at = 10;
        int flags;
        do
        {
            flags = BinaryPrimitives.ReadUInt16BigEndian(glyph[at..]);
            components.Add(BinaryPrimitives.ReadUInt16BigEndian(glyph[(at + 2)..]));
            at += 4 + ((flags & ArgsAreWords) != 0 ? 4 : 2);
            at += (flags & HasScale) != 0 ? 2 : (flags & HasXYScale) != 0 ? 4 : (flags & HasTwoByTwo) != 0 ? 8 : 0;
        }
        while ((flags & MoreComponents) != 0 && at + 4 <= glyph.Length);
        return components;
    }

    private static byte[] Write(SortedDictionary<string, byte[]> tables)
    {
        var count = (ushort)tables.Count;
        var entrySelector = (ushort)Math.Floor(Math.Log2(count));
        var searchRange = (ushort)((1 << entrySelector) * 16);
        var header = new byte[12 + count * 16];
        BinaryPrimitives.WriteUInt32BigEndian(header, 0x00010000);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), count);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), searchRange);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(8), entrySelector);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), (ushort)(count * 16 - searchRange));

        using var body = new MemoryStream();
        var offset = header.Length;
        var i = 0;
        foreach (var (tag, data) in tables)
        {
            var record = header.AsSpan(12 + i++ * 16, 16);
            System.Text.Encoding.ASCII.GetBytes(tag, record);
            BinaryPrimitives.WriteUInt32BigEndian(record[4..], Checksum(data));
            BinaryPrimitives.WriteUInt32BigEndian(record[8..], (uint)(offset + body.Length));
            BinaryPrimitives.WriteUInt32BigEndian(record[12..], (uint)data.Length);
            body.Write(data);
            while (body.Length % 4 != 0) body.WriteByte(0);
        }

        var font = new byte[header.Length + body.Length];
        header.CopyTo(font, 0);
        body.ToArray().CopyTo(font, header.Length);
        var headOffset = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12 + tables.Keys.ToList().IndexOf("head") * 16 + 8));
        BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(headOffset + 8), 0xB1B0AFBA - Checksum(font));
        return font;
    }

    private static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i < data.Length; i += 4)
        {
            uint word = 0;
            for (var j = 0; j < 4; j++) word = (word << 8) | (i + j < data.Length ? data[i + j] : 0u);
            sum = unchecked(sum + word);
        }
        return sum;
    }
}
